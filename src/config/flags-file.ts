// Reads kube-apiserver flags from any file a deployment keeps them in: a static-pod
// manifest, a systemd unit, an env file, or a plain list of flags (`ps` output, one per
// line, `#` comments). The format is recognised from the content.
import { readFile } from 'node:fs/promises';
import type { DeploymentKind } from './arg-source.ts';
import { parseDeployment } from './enable-aggregation.ts';
import { ConfigFileError } from './errors.ts';
import { ApiserverFlags } from './flags.ts';
import { staticPodMounts, type PodMount } from './manifest.ts';
import { splitWords } from './text-args.ts';

export type FlagsFileKind = DeploymentKind | 'plain';

export function detectFlagsFileKind(source: string): FlagsFileKind {
  if (/^kind:\s*Pod\s*$/m.test(source) || /^spec:\s*$/m.test(source)) return 'manifest';
  if (/^\[Service\]\s*$/m.test(source)) return 'systemd-unit';
  if (/^[ \t]*(export[ \t]+)?[A-Za-z_][A-Za-z0-9_]*=["']?-/m.test(source)) return 'env-file';
  return 'plain';
}

/** Flags of a plain list: every word of the text, the program name (if any) dropped. */
export function parsePlainFlags(source: string, file: string): string[] {
  const words = splitWords(file, source, 0, source.length).map((w) => w.value);
  while (words.length > 0 && !words[0].startsWith('-')) words.shift();
  return words;
}

export interface LoadedFlags {
  kind: FlagsFileKind;
  flags: ApiserverFlags;
  /** Static-pod manifests: the container's mounts (paths in flags are container paths). */
  mounts?: PodMount[];
}

export async function loadFlagsFile(file: string, kind: FlagsFileKind | 'auto' = 'auto', options: { envVariable?: string } = {}): Promise<LoadedFlags> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigFileError(file, `cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, undefined, { cause: err });
  }
  const k = kind === 'auto' ? detectFlagsFileKind(source) : kind;
  const args = k === 'plain' ? parsePlainFlags(source, file) : parseDeployment(k, source, file, options).args;
  return { kind: k, flags: new ApiserverFlags(args), ...(k === 'manifest' ? { mounts: staticPodMounts(source, file) } : {}) };
}
