// A CliIO that captures stdout/stderr, for calling a command's run() in-process.
import { PassThrough, Readable } from 'node:stream';
import type { CliIO } from '../../src/cli/io.ts';

export interface CapturedIO extends CliIO {
  out(): string;
  err(): string;
}

export function captureIO(options: { stdin?: string; cwd?: string; env?: Record<string, string | undefined> } = {}): CapturedIO {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string | Uint8Array) => (out += typeof s === 'string' ? s : Buffer.from(s).toString()) },
    stderr: { write: (s: string | Uint8Array) => (err += typeof s === 'string' ? s : Buffer.from(s).toString()) },
    stdin: options.stdin === undefined ? new PassThrough() : Readable.from([options.stdin]),
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    out: () => out,
    err: () => err,
  };
}
