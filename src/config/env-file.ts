// Environment files for binary deployments (`EnvironmentFile=/etc/kubernetes/apiserver`,
// `KUBE_API_ARGS="--flag=value …"`). Every variable whose value holds flags contributes
// its words to the argument list; new flags go into KUBE_API_ARGS (or the variable named).
import { lineOf, type ArgSource } from './arg-source.ts';
import { ConfigFileError } from './errors.ts';
import type { ArgEdit } from './flags.ts';
import { spliceWords, splitWords, type WordRef, type WordRegion } from './text-args.ts';

export const DEFAULT_ENV_VARIABLE = 'KUBE_API_ARGS';

export interface EnvAssignment {
  name: string;
  region: WordRegion;
}

export interface EnvFileOptions {
  /** Only this variable holds kube-apiserver flags (default: every variable with flags). */
  variable?: string;
}

export function parseEnvFile(source: string, file: string, options: EnvFileOptions = {}): ArgSource {
  const assignments = envAssignments(source, file);
  const withFlags = options.variable
    ? assignments.filter((a) => a.name === options.variable)
    : assignments.filter((a) => a.region.words.some((w) => w.value.startsWith('-')));
  const target =
    withFlags.find((a) => a.name === (options.variable ?? DEFAULT_ENV_VARIABLE)) ??
    withFlags[withFlags.length - 1] ??
    assignments.find((a) => a.name === (options.variable ?? DEFAULT_ENV_VARIABLE));
  if (!target) {
    throw new ConfigFileError(file, options.variable ? `no variable ${options.variable}=` : `no variable holds kube-apiserver flags (and no ${DEFAULT_ENV_VARIABLE}=)`);
  }
  const regions = withFlags.includes(target) ? withFlags : [...withFlags, target];
  const refs: WordRef[] = regions.flatMap((a) => a.region.words.map((word) => ({ region: a.region, word })));
  return {
    kind: 'env-file',
    args: refs.map((r) => r.word.value),
    apply: (edits: readonly ArgEdit[]) => spliceWords(file, source, refs, edits, target.region),
  };
}

/** Every `NAME=value` (also `export NAME=value`) with the words of its value. */
export function envAssignments(source: string, file: string): EnvAssignment[] {
  const out: EnvAssignment[] = [];
  const re = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*/gm;
  let pos = 0;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    if (m.index < pos) continue; // inside a previous multi-line value
    const valueStart = m.index + m[0].length;
    const q = source[valueStart];
    let start: number;
    let end: number;
    if (q === '"' || q === "'") {
      start = valueStart + 1;
      end = start;
      while (end < source.length && source[end] !== q) end += q === '"' && source[end] === '\\' ? 2 : 1;
      if (end >= source.length) throw new ConfigFileError(file, `unterminated ${q} quote in ${m[1]}=`, lineOf(source, m.index));
      pos = end + 1;
    } else {
      start = valueStart;
      end = start;
      while (end < source.length && source[end] !== '\n') end += source[end] === '\\' && source[end + 1] === '\n' ? 2 : 1;
      if (source[end - 1] === '\r') end--;
      pos = end;
    }
    const words = splitWords(file, source, start, end);
    out.push({ name: m[1], region: { start, end, words, canQuote: false } });
    re.lastIndex = Math.max(re.lastIndex, pos);
  }
  return out;
}
