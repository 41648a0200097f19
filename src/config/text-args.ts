// Words of a shell-like command line inside a text file (a systemd ExecStart=, an env file's
// KUBE_API_ARGS="…"), with their byte ranges, and the splices that replace, remove or
// append words while leaving the rest of the file (continuations, indentation) as it was.
import { applySplices, lineEndInclusive, lineStart, type TextSplice } from './arg-source.ts';
import { ConfigFileError } from './errors.ts';
import type { ArgEdit } from './flags.ts';

export interface Word {
  value: string;
  start: number;
  end: number;
  quote: '"' | "'" | '';
}

/** A run of text holding words: `[start, end)`, e.g. between the quotes of an env value. */
export interface WordRegion {
  start: number;
  end: number;
  words: Word[];
  /** Whether `"` may be used to quote a new word (false inside a double-quoted env value). */
  canQuote: boolean;
}

/**
 * Splits `text[start, end)` into words. Backslash-newline and newlines separate words;
 * a physical line whose first non-blank character is `#` or `;` is a comment (systemd
 * skips those inside continuations).
 */
export function splitWords(file: string, text: string, start: number, end: number): Word[] {
  const words: Word[] = [];
  let i = start;
  let atLineStart = false;
  while (i < end) {
    const c = text[i];
    if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\n' ? 2 : 3;
      atLineStart = true;
      continue;
    }
    if (c === '\n') {
      i++;
      atLineStart = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (atLineStart && (c === '#' || c === ';')) {
      i = Math.min(lineEndInclusive(text, i), end);
      continue;
    }
    atLineStart = false;
    const wordStart = i;
    let value = '';
    let quote: Word['quote'] = '';
    while (i < end && !/[ \t\r\n]/.test(text[i]) && !(text[i] === '\\' && /[\r\n]/.test(text[i + 1] ?? ''))) {
      const ch = text[i];
      if (ch === '"' || ch === "'") {
        const close = findClose(text, i, end);
        if (close < 0) throw new ConfigFileError(file, `unterminated ${ch} quote`, lineNumber(text, i));
        const inner = text.slice(i + 1, close);
        value += ch === '"' ? inner.replace(/\\(["\\$`])/g, '$1') : inner;
        if (wordStart === i) quote = ch;
        i = close + 1;
      } else if (ch === '\\' && i + 1 < end) {
        value += text[i + 1];
        i += 2;
      } else {
        value += ch;
        i++;
      }
    }
    words.push({ value, start: wordStart, end: i, quote });
  }
  return words;
}

function findClose(text: string, open: number, end: number): number {
  const q = text[open];
  for (let i = open + 1; i < end; i++) {
    if (q === '"' && text[i] === '\\') {
      i++;
      continue;
    }
    if (text[i] === q) return i;
  }
  return -1;
}

function lineNumber(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** A word rendered for the region: quoted like the word it replaces, or only when needed. */
export function renderWord(file: string, value: string, quote: Word['quote'], canQuote: boolean): string {
  if (quote === "'") return `'${value}'`;
  if (quote === '"') return `"${value.replace(/(["\\$`])/g, '\\$1')}"`;
  if (!/[\s"'\\$`;#]/.test(value)) return value;
  if (!canQuote) throw new ConfigFileError(file, `value ${JSON.stringify(value)} would need quoting inside a quoted variable`);
  return `"${value.replace(/(["\\$`])/g, '\\$1')}"`;
}

export interface WordRef {
  region: WordRegion;
  word: Word;
}

/**
 * Splices for `edits` over `refs` (the argument list, in order, across regions). Appended
 * words go after the last word of `appendRegion`: on a new continuation line with the same
 * indentation when the region already spans several lines, else on the same line.
 */
export function wordEditSplices(file: string, text: string, refs: readonly WordRef[], edits: readonly ArgEdit[], appendRegion: WordRegion): TextSplice[] {
  const splices: TextSplice[] = [];
  const removed = new Set<number>();
  const appended: string[] = [];
  for (const e of edits) {
    if (e.kind === 'replace') {
      const { word, region } = refs[e.index];
      splices.push({ start: word.start, end: word.end, text: renderWord(file, e.text, word.quote, region.canQuote) });
    } else if (e.kind === 'remove') removed.add(e.index);
    else appended.push(e.text);
  }
  // consecutive removed words (a flag and its value) go as one span
  const indices = [...removed].sort((a, b) => a - b);
  for (let k = 0; k < indices.length; ) {
    let j = k;
    while (j + 1 < indices.length && indices[j + 1] === indices[j] + 1 && refs[indices[j + 1]].region === refs[indices[k]].region) j++;
    splices.push(removalSplice(text, refs[indices[k]].word.start, refs[indices[j]].word.end, refs[indices[k]].region));
    k = j + 1;
  }
  if (appended.length > 0) {
    const last = appendRegion.words[appendRegion.words.length - 1];
    const at = last ? last.end : appendRegion.start;
    const multiLine = text.slice(appendRegion.start, appendRegion.end).includes('\n');
    const rendered = appended.map((t) => renderWord(file, t, '', appendRegion.canQuote));
    if (multiLine && last) {
      const from = lineStart(text, last.start);
      const indent = /^[ \t]*/.exec(text.slice(from, last.start))?.[0] ?? '';
      const lineIndent = text.slice(from, last.start).trim() === '' ? indent : `${indent}  `;
      splices.push({ start: at, end: at, text: rendered.map((w) => ` \\\n${lineIndent}${w}`).join('') });
    } else {
      splices.push({ start: at, end: at, text: last ? rendered.map((w) => ` ${w}`).join('') : rendered.join(' ') });
    }
  }
  return splices;
}

/** Removes `[start, end)`: its whole line when nothing else is on it, else with the blank before it. */
function removalSplice(text: string, start: number, end: number, region: WordRegion): TextSplice {
  const from = lineStart(text, start);
  const lineEnd = lineEndInclusive(text, end);
  const before = text.slice(from, start);
  const after = text.slice(end, lineEnd);
  const alone = before.trim() === '' && from > region.start && /^[ \t]*(\\)?[ \t]*\r?\n?$/.test(after);
  if (alone) {
    if (/\\[ \t]*\r?\n?$/.test(after)) return { start: from, end: lineEnd, text: '' };
    // last line of the region: drop the line break and the previous line's continuation
    const prevEnd = from - 1;
    const prev = text.slice(lineStart(text, prevEnd), prevEnd);
    const m = /[ \t]*\\[ \t]*\r?$/.exec(prev);
    if (m) {
      const cut = lineStart(text, prevEnd) + m.index;
      return { start: cut, end: end + (/^[ \t]*/.exec(after)?.[0].length ?? 0), text: '' };
    }
  }
  let s = start;
  while (s > region.start && (text[s - 1] === ' ' || text[s - 1] === '\t')) s--;
  if (s === start) {
    let e = end;
    while (e < region.end && (text[e] === ' ' || text[e] === '\t')) e++;
    return { start, end: e, text: '' };
  }
  return { start: s, end, text: '' };
}

export function spliceWords(file: string, text: string, refs: readonly WordRef[], edits: readonly ArgEdit[], appendRegion: WordRegion): string {
  return applySplices(text, wordEditSplices(file, text, refs, edits, appendRegion));
}
