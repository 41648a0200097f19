// Static-pod manifests (kubeadm's /etc/kubernetes/manifests/kube-apiserver.yaml). The yaml
// library finds the kube-apiserver container's `command`/`args` items and their source
// ranges; edits are spliced into the original text, so every byte not edited survives
// (comments, their spacing, quoting, indentation).
import { isMap, isScalar, isSeq, parseDocument, Scalar, type YAMLSeq } from 'yaml';
import { applySplices, lineEndInclusive, lineOf, lineStart, type ArgSource, type TextSplice } from './arg-source.ts';
import { ConfigFileError } from './errors.ts';
import type { ArgEdit } from './flags.ts';

interface ArgItem {
  node: Scalar;
  seq: YAMLSeq;
}

export function parseManifest(source: string, file: string): ArgSource {
  const doc = parseDocument(source, { keepSourceTokens: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new ConfigFileError(file, `invalid YAML: ${e.message.split('\n')[0]}`, e.linePos?.[0]?.line);
  }
  const containers = doc.getIn(['spec', 'containers'], true);
  if (!isSeq(containers)) throw new ConfigFileError(file, 'not a pod manifest: no spec.containers list');
  const container = containers.items.find((c) => {
    if (!isMap(c)) return false;
    if (c.get('name') === 'kube-apiserver') return true;
    const command = c.get('command', true);
    return isSeq(command) && isScalar(command.items[0]) && /(^|\/)kube-apiserver$/.test(String(command.items[0].value));
  });
  if (!isMap(container)) throw new ConfigFileError(file, 'no kube-apiserver container in spec.containers');

  const items: ArgItem[] = [];
  let appendTo: YAMLSeq | undefined;
  for (const key of ['command', 'args'] as const) {
    const seq = container.get(key, true);
    if (seq === undefined) continue;
    if (!isSeq(seq)) throw new ConfigFileError(file, `spec.containers[kube-apiserver].${key} is not a list`);
    if (seq.flow) throw new ConfigFileError(file, `spec.containers[kube-apiserver].${key} is a flow list [..]; only block lists can be edited`, lineAt(source, seq.range));
    seq.items.forEach((item, i) => {
      if (!isScalar(item)) throw new ConfigFileError(file, `spec.containers[kube-apiserver].${key}[${i}] is not a string`, lineAt(source, (item as { range?: [number, number, number] }).range));
      if (key === 'command' && i === 0) return; // the program itself
      items.push({ node: item, seq });
    });
    if (seq.items.length > 0) appendTo = seq;
  }
  if (!appendTo) throw new ConfigFileError(file, 'the kube-apiserver container has no command or args');
  const target = appendTo;

  return {
    kind: 'manifest',
    args: items.map((i) => String(i.node.value)),
    apply(edits: readonly ArgEdit[]): string {
      const splices: TextSplice[] = [];
      const appended: string[] = [];
      for (const e of edits) {
        if (e.kind === 'append') {
          appended.push(e.text);
          continue;
        }
        const { node } = items[e.index];
        const [start, valueEnd] = range(file, source, node);
        if (e.kind === 'replace') splices.push({ start, end: valueEnd, text: renderScalar(e.text, node.type) });
        else splices.push(wholeItemLine(file, source, start, valueEnd));
      }
      if (appended.length > 0) {
        const last = target.items[target.items.length - 1] as Scalar;
        const [start, valueEnd] = range(file, source, last);
        const at = lineEndInclusive(source, valueEnd);
        const indent = itemIndent(file, source, start);
        const prefix = at === source.length && !source.endsWith('\n') ? '\n' : '';
        const lines = appended.map((t) => `${indent}- ${renderScalar(t, last.type)}\n`).join('');
        splices.push({ start: at, end: at, text: prefix + lines });
      }
      return applySplices(source, splices);
    },
  };
}

function lineAt(source: string, r: readonly number[] | null | undefined): number | undefined {
  return r ? lineOf(source, r[0]) : undefined;
}

function range(file: string, source: string, node: Scalar): [number, number] {
  if (!node.range) throw new ConfigFileError(file, 'internal: YAML node without a source range');
  if (node.type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL') {
    throw new ConfigFileError(file, 'block scalars (| or >) in the argument list cannot be edited', lineOf(source, node.range[0]));
  }
  return [node.range[0], node.range[1]];
}

/** The `    - ` indentation before an item that starts its own line. */
function itemIndent(file: string, source: string, itemStart: number): string {
  const head = source.slice(lineStart(source, itemStart), itemStart);
  const m = /^([ \t]*)-[ \t]+$/.exec(head);
  if (!m) throw new ConfigFileError(file, 'list item does not start its own line; cannot edit', lineOf(source, itemStart));
  return m[1];
}

/** Removing an item removes its whole line (the item must be alone on it). */
function wholeItemLine(file: string, source: string, start: number, valueEnd: number): TextSplice {
  itemIndent(file, source, start);
  const from = lineStart(source, start);
  const to = lineEndInclusive(source, valueEnd);
  if (source.slice(from, to).split('\n').filter((l) => l !== '').length !== 1) {
    throw new ConfigFileError(file, 'a multi-line list item cannot be removed', lineOf(source, start));
  }
  return { start: from, end: to, text: '' };
}

/** A scalar in the same style as the node it replaces (plain stays plain when it can). */
function renderScalar(value: string, type: Scalar['type']): string {
  if (type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  if (type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  return isPlainSafe(value) ? value : JSON.stringify(value);
}

function isPlainSafe(value: string): boolean {
  const doc = parseDocument(`- ${value}\n`);
  if (doc.errors.length > 0) return false;
  const seq = doc.contents;
  return isSeq(seq) && isScalar(seq.items[0]) && (seq.items[0] as Scalar).value === value && !value.includes(' #');
}

/** A volumeMount of the kube-apiserver container, with the hostPath behind it (if any). */
export interface PodMount {
  name: string;
  mountPath: string;
  hostPath?: string;
}

/** The kube-apiserver container's volume mounts, resolved against spec.volumes. */
export function staticPodMounts(source: string, file: string): PodMount[] {
  parseManifest(source, file); // same validation and errors
  const pod = parseDocument(source).toJS() as {
    spec?: { containers?: Array<{ name?: string; command?: string[]; volumeMounts?: Array<{ name?: string; mountPath?: string }> }>; volumes?: Array<{ name?: string; hostPath?: { path?: string } }> };
  };
  const container = (pod.spec?.containers ?? []).find((c) => c.name === 'kube-apiserver' || /(^|\/)kube-apiserver$/.test(String(c.command?.[0] ?? '')));
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name ?? '', v.hostPath?.path]));
  return (container?.volumeMounts ?? [])
    .filter((m) => m.mountPath)
    .map((m) => ({ name: m.name ?? '', mountPath: String(m.mountPath), ...(volumes.get(m.name ?? '') ? { hostPath: volumes.get(m.name ?? '') } : {}) }));
}

/** The mount a container path falls under (the longest mountPath that contains it). */
export function mountFor(mounts: readonly PodMount[], path: string): PodMount | undefined {
  const inside = (m: PodMount) => path === m.mountPath || path.startsWith(m.mountPath.endsWith('/') ? m.mountPath : `${m.mountPath}/`);
  return mounts.filter(inside).sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
}
