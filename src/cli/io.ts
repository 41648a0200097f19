// What a CLI command may touch. Tests pass their own to capture output.
import type { Readable } from 'node:stream';

export interface CliIO {
  stdout: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
  stderr: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
  stdin: Readable;
  cwd: string;
  env: Record<string, string | undefined>;
}

/** A CLI command: parses its own arguments (`args` excludes its name) and returns an exit code. */
export interface CliCommand {
  name: string;
  summary: string;
  run(args: string[], io: CliIO): Promise<number>;
}

/** An error the user caused (bad flag, unreadable file): printed as one line, exit 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(message: string, readonly exitCode = 1, options?: ErrorOptions) {
    super(message, options);
  }
}

export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd(), env: process.env };
}
