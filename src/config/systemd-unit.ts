// systemd units for binary deployments: the kube-apiserver arguments are the words of the
// [Service] section's ExecStart= (usually spread over backslash-continued lines).
import { lineOf, type ArgSource } from './arg-source.ts';
import { ConfigFileError } from './errors.ts';
import type { ArgEdit } from './flags.ts';
import { spliceWords, splitWords, type WordRef, type WordRegion } from './text-args.ts';

export function parseSystemdUnit(source: string, file: string): ArgSource {
  const region = execStartRegion(source, file);
  const [program, ...rest] = region.words;
  if (!program || !/(^|\/)kube-apiserver$/.test(program.value)) {
    throw new ConfigFileError(file, `ExecStart= does not run kube-apiserver (runs ${JSON.stringify(program?.value ?? '')})`, lineOf(source, region.start));
  }
  const refs: WordRef[] = rest.filter((w) => !isVariableRef(w.value)).map((word) => ({ region, word }));
  return {
    kind: 'systemd-unit',
    args: refs.map((r) => r.word.value),
    apply: (edits: readonly ArgEdit[]) => spliceWords(file, source, refs, edits, region),
  };
}

/** `$KUBE_API_ARGS` / `${KUBE_API_ARGS}`: expanded by systemd from Environment(File)=. */
export function isVariableRef(word: string): boolean {
  return /^\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)$/.test(word);
}

/** The names of the environment variables ExecStart= expands. */
export function execStartVariables(source: string, file: string): string[] {
  return execStartRegion(source, file).words.filter((w) => isVariableRef(w.value)).map((w) => w.value.replace(/^\$\{?|\}$/g, ''));
}

function execStartRegion(source: string, file: string): WordRegion {
  let section = '';
  let found: { start: number; end: number } | undefined;
  let offset = 0;
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const lineOffset = offset;
    offset += line.length + 1;
    const trimmed = line.trim();
    if (/^\[.*\]$/.test(trimmed)) {
      section = trimmed;
      continue;
    }
    const m = /^[ \t]*ExecStart[ \t]*=[ \t]*[-@:+!]*/.exec(line);
    if (section !== '[Service]' || !m) continue;
    // the logical line runs while physical lines end with a backslash (comment lines inside
    // a continuation are skipped by systemd and do not end it)
    let j = i;
    while (j + 1 < lines.length && (/\\\r?$/.test(lines[j]) || (j > i && /^[ \t]*[#;]/.test(lines[j])))) j++;
    let end = lineOffset;
    for (let k = i; k < j; k++) end += lines[k].length + 1;
    end += lines[j].replace(/\r$/, '').length;
    const start = lineOffset + m[0].length;
    if (source.slice(start, end).trim() === '') found = undefined; // an empty ExecStart= resets
    else found = { start, end };
    for (let k = i + 1; k <= j; k++) offset += lines[k].length + 1;
    i = j;
  }
  if (!found) throw new ConfigFileError(file, 'no ExecStart= in the [Service] section');
  return { ...found, words: splitWords(file, source, found.start, found.end), canQuote: true };
}
