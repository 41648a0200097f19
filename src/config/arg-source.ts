// What every deployment format (static-pod manifest, systemd unit, env file) offers: the
// kube-apiserver argument list it holds, and a way to apply flag edits that rewrites only
// the bytes of the arguments touched (order, comments, quoting of everything else stay).
import type { ArgEdit } from './flags.ts';

export type DeploymentKind = 'manifest' | 'systemd-unit' | 'env-file';

export interface ArgSource {
  readonly kind: DeploymentKind;
  /** The kube-apiserver arguments (flags and their values), without the program name. */
  readonly args: readonly string[];
  /** The whole file text after applying `edits` (which index into `args`). */
  apply(edits: readonly ArgEdit[]): string;
}

/** One replacement in a text: `[start, end)` becomes `text`. */
export interface TextSplice {
  start: number;
  end: number;
  text: string;
}

/** Applies non-overlapping splices (any order) to `source`. */
export function applySplices(source: string, splices: readonly TextSplice[]): string {
  const sorted = [...splices].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = source;
  let limit = Number.POSITIVE_INFINITY;
  for (const s of sorted) {
    if (s.end > limit) throw new Error(`overlapping edits at offset ${s.start}`);
    out = out.slice(0, s.start) + s.text + out.slice(s.end);
    limit = s.start;
  }
  return out;
}

/** Offset of the first character of the line holding `offset`. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just past the newline ending the line holding `offset` (or the text end). */
export function lineEndInclusive(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

/** 1-based line number of `offset`. */
export function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
