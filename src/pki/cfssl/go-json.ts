// JSON the way Go's encoding/json reads and writes it, because cfssl's inputs and outputs
// are Go JSON: the parser reports Go's error texts (`invalid character '"' after object
// key:value pair`, `unexpected end of JSON input`) plus the line and column; the encoder
// escapes `<`, `>`, `&`, U+2028/2029 and control characters like Go, and writes bigints as
// bare numbers (Go's big.Int).

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
  constructor(
    message: string,
    readonly offset: number,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return `'"'`;
  const q = JSON.stringify(c);
  return `'${q.slice(1, -1)}'`;
}

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Parses like Go's json.Unmarshal into interface{}; throws JsonSyntaxError with Go's message. */
export function parseGoJson(text: string): JsonValue {
  let i = 0;
  const fail = (message: string, at = i): never => {
    const p = position(text, at);
    throw new JsonSyntaxError(message, at, p.line, p.column);
  };
  const eof = (): never => fail('unexpected end of JSON input', text.length);
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const invalid = (context: string): never => fail(`invalid character ${quoteChar(text[i])} ${context}`);

  const parseString = (): string => {
    i++; // opening quote
    let out = '';
    for (;;) {
      if (i >= text.length) eof();
      const c = text[i];
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\\') {
        i++;
        if (i >= text.length) eof();
        const e = text[i];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e in simple) {
          out += simple[e];
          i++;
        } else if (e === 'u') {
          i++;
          for (let k = 0; k < 4; k++) {
            if (i + k >= text.length) {
              i += k;
              eof();
            }
            if (!/[0-9a-fA-F]/.test(text[i + k])) {
              i += k;
              invalid('in \\u hexadecimal character escape');
            }
          }
          out += String.fromCharCode(parseInt(text.slice(i, i + 4), 16));
          i += 4;
        } else {
          invalid('in string escape code');
        }
        continue;
      }
      if (c < ' ') invalid('in string literal');
      out += c;
      i++;
    }
  };

  const parseNumber = (): number => {
    const start = i;
    if (text[i] === '-') {
      i++;
      if (i >= text.length) eof();
      if (!/[0-9]/.test(text[i])) invalid('in numeric literal');
    }
    if (text[i] === '0') i++;
    else while (i < text.length && /[0-9]/.test(text[i])) i++;
    if (text[i] === '.') {
      i++;
      if (i >= text.length) eof();
      if (!/[0-9]/.test(text[i])) invalid('after decimal point in numeric literal');
      while (i < text.length && /[0-9]/.test(text[i])) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (i >= text.length) eof();
      if (!/[0-9]/.test(text[i])) invalid('in exponent of numeric literal');
      while (i < text.length && /[0-9]/.test(text[i])) i++;
    }
    return Number(text.slice(start, i));
  };

  const parseLiteral = (word: 'true' | 'false' | 'null'): JsonValue => {
    for (let k = 0; k < word.length; k++) {
      if (i >= text.length) eof();
      if (text[i] !== word[k]) invalid(`in literal ${word} (expecting ${quoteChar(word[k])})`);
      i++;
    }
    return word === 'null' ? null : word === 'true';
  };

  const parseValue = (depth: number): JsonValue => {
    if (depth > 10000) fail('exceeded max depth');
    ws();
    if (i >= text.length) eof();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: JsonObject = Object.create(null) as JsonObject;
      ws();
      if (i >= text.length) eof();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (i >= text.length) eof();
        if (text[i] !== '"') invalid('looking for beginning of object key string');
        const key = parseString();
        ws();
        if (i >= text.length) eof();
        if (text[i] !== ':') invalid('after object key');
        i++;
        obj[key] = parseValue(depth + 1);
        ws();
        if (i >= text.length) eof();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        invalid('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      const arr: JsonValue[] = [];
      ws();
      if (i >= text.length) eof();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(parseValue(depth + 1));
        ws();
        if (i >= text.length) eof();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        invalid('after array element');
      }
    }
    if (c === '"') return parseString();
    if (c === '-' || (c >= '0' && c <= '9')) return parseNumber();
    if (c === 't') return parseLiteral('true');
    if (c === 'f') return parseLiteral('false');
    if (c === 'n') return parseLiteral('null');
    return invalid('looking for beginning of value');
  };

  const value = parseValue(0);
  ws();
  if (i < text.length) invalid('after top-level value');
  return value;
}

/** The object's value for `key` matched like Go matches struct fields: exact first, then case-insensitively. */
export function goField(obj: JsonObject, key: string): JsonValue | undefined {
  if (Object.hasOwn(obj, key)) return obj[key];
  const lower = key.toLowerCase();
  let found: JsonValue | undefined;
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) found = obj[k];
  return found;
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value Go's encoder can write: JSON values plus bigint (written as a bare number). */
export type GoJsonValue = null | boolean | number | bigint | string | readonly GoJsonValue[] | { readonly [key: string]: GoJsonValue | undefined };

/** Go's string escaping (HTML-safe; \n \r \t short, other controls as \u00XX). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || ch === '<' || ch === '>' || ch === '&' || code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** json.Marshal (indent '') or json.MarshalIndent(v, '', indent). Keys keep insertion order; undefined fields are left out. */
export function marshalGoJson(value: GoJsonValue, indent = ''): string {
  const write = (v: GoJsonValue, depth: number): string => {
    if (v === null) return 'null';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'string') return goQuote(v);
    const nl = indent ? `\n${indent.repeat(depth + 1)}` : '';
    const close = indent ? `\n${indent.repeat(depth)}` : '';
    const sep = indent ? ': ' : ':';
    if (Array.isArray(v)) {
      const arr = v as readonly GoJsonValue[];
      if (arr.length === 0) return '[]';
      return `[${arr.map((x) => `${nl}${write(x, depth + 1)}`).join(',')}${close}]`;
    }
    const entries = Object.entries(v as { [key: string]: GoJsonValue | undefined }).filter((e): e is [string, GoJsonValue] => e[1] !== undefined);
    if (entries.length === 0) return '{}';
    return `{${entries.map(([k, x]) => `${nl}${goQuote(k)}${sep}${write(x, depth + 1)}`).join(',')}${close}}`;
  };
  return write(value, 0);
}
