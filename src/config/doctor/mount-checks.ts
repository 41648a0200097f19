// Static pods (X04): every file a flag names must be inside a volume mounted into the
// kube-apiserver container, or the container does not see it and kube-apiserver exits.
import type { ApiserverFlags } from '../flags.ts';
import { mountFor } from '../manifest.ts';
import type { Check, Finding } from './types.ts';

const FILE_FLAG = /(-file|-cert|-key|-certificate|cafile|certfile|keyfile)$/;

export const mountChecks: Check = {
  name: 'static pod mounts',
  ids: ['X04'],
  needs: ['flags'],
  run(ctx) {
    const mounts = ctx.mounts;
    if (!mounts) return [];
    const flags = ctx.flags as ApiserverFlags;
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < flags.args.length; i++) {
      const m = /^(--[a-z0-9-]+)=(.*)$/.exec(flags.args[i]) ?? (flags.args[i].startsWith('--') ? [flags.args[i], flags.args[i], flags.args[i + 1] ?? ''] : null);
      if (!m || !FILE_FLAG.test(m[1])) continue;
      for (const path of m[2].split(',')) {
        if (!path.startsWith('/') || seen.has(path) || mountFor(mounts, path)) continue;
        seen.add(path);
        out.push({
          id: 'X04', severity: 'error', subject: m[1],
          summary: `${m[1]}=${path} is not inside any volume mounted into the kube-apiserver container (mounts: ${mounts.map((x) => x.mountPath).join(', ') || 'none'})`,
          why: 'the container does not see the file, so kube-apiserver exits at start (open …: no such file or directory) and the whole control plane is down, aggregation included',
          fix: `mount the directory: add a hostPath volume for ${path.replace(/\/[^/]*$/, '')} and a matching volumeMount (readOnly: true) to the kube-apiserver container, or move the file under an existing mount such as ${mounts.find((x) => x.hostPath)?.mountPath ?? '/etc/kubernetes/pki'}`,
        });
      }
    }
    return out;
  },
};
