// PEM armour as Go's encoding/pem writes it: 64-character base64 lines, no headers, a
// trailing newline after the END line.
import { PkiError } from './errors.ts';

export interface PemBlock {
  type: string;
  der: Buffer;
}

export function encodePem(type: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${type}-----\n${lines.join('\n')}\n-----END ${type}-----\n`;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** Every PEM block in `text`, in order. Header lines (`Proc-Type: …`) are not supported. */
export function decodePem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const body = m[2].replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) continue;
    blocks.push({ type: m[1], der: Buffer.from(body, 'base64') });
  }
  return blocks;
}

/** The first block whose type is one of `types`; a PkiError naming what was expected otherwise. */
export function decodeFirstPem(text: string, types: readonly string[]): PemBlock {
  const block = decodePem(text).find((b) => types.includes(b.type));
  if (!block) throw new PkiError('INVALID_PEM', `no PEM block of type ${types.join(' or ')} found`);
  return block;
}
