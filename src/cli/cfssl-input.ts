// Reading cfssl inputs: a file path, or `-` for stdin; Go-style error texts that name the
// file (`open x.json: no such file or directory`); one-line messages for bad content.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { JsonSyntaxError } from '../pki/cfssl/go-json.ts';
import { PkiError } from '../pki/errors.ts';
import { CliError, type CliIO } from './io.ts';

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
};

export const STDIN_NAME = '<stdin>';

export async function readStdin(io: CliIO): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** The text of `path` (relative to io.cwd), or stdin for `-`. CliError in Go's wording otherwise. */
export async function readInput(io: CliIO, path: string): Promise<string> {
  if (path === '-') return readStdin(io);
  try {
    return await readFile(isAbsolute(path) ? path : join(io.cwd, path), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const verb = code === 'EISDIR' ? 'read' : 'open';
    throw new CliError(`${verb} ${path}: ${ERRNO_TEXT[code] ?? (err as Error).message}`, 1, { cause: err });
  }
}

export function displayName(path: string): string {
  return path === '-' ? STDIN_NAME : path;
}

/** One line for an error about the content of `file`: JSON position, PKI reason, or the message. */
export function contentError(file: string, err: unknown, prefix = ''): CliError {
  const name = displayName(file);
  if (err instanceof JsonSyntaxError) return new CliError(`${prefix}${name}:${err.line}:${err.column}: invalid JSON: ${err.message}`, 1, { cause: err });
  if (err instanceof PkiError) return new CliError(`${prefix}${name}: ${err.message}`, 1, { cause: err });
  if (err instanceof CliError) return err;
  return new CliError(`${prefix}${name}: ${err instanceof Error ? err.message : String(err)}`, 1, { cause: err });
}

/** Go's log package line: `2026/11/28 15:49:57 [INFO] message` in local time. */
export function logLine(level: string, message: string, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}/${p(now.getMonth() + 1)}/${p(now.getDate())} ${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}`;
  return `${stamp} [${level}] ${message}\n`;
}
