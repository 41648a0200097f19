// Shared by the cfssl side-by-side tests: run kagg in-process and the real Debian cfssl
// tools as child processes in the same temp dir, and read certificates with openssl.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { main } from '../../src/cli/bin.ts';
import { captureIO } from '../support/cli-io.ts';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export const INPUTS_DIR = new URL('../fixtures/pki/cfssl-golden/inputs/', import.meta.url);

/** A temp dir holding the seed's three JSON files, removed after the test. */
export function seedDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'kagg-cfssl-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const f of readdirSync(INPUTS_DIR)) copyFileSync(new URL(f, INPUTS_DIR), join(dir, f));
  return dir;
}

export async function kagg(args: string[], options: { cwd: string; stdin?: string }): Promise<Run> {
  const io = captureIO({ cwd: options.cwd, stdin: options.stdin ?? '' });
  const code = await main(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

export function real(tool: string, args: string[], options: { cwd: string; stdin?: string }): Run {
  const r = spawnSync(tool, args, { cwd: options.cwd, input: options.stdin ?? '', encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `kagg cfssl <args> | kagg cfssljson -bare <base>`; returns both runs. */
export async function kaggPipe(args: string[], base: string, cwd: string): Promise<{ gen: Run; json: Run }> {
  const gen = await kagg(['cfssl', ...args], { cwd });
  const json = await kagg(['cfssljson', '-bare', base], { cwd, stdin: gen.stdout });
  return { gen, json };
}

export function realPipe(args: string[], base: string, cwd: string): { gen: Run; json: Run } {
  const gen = real('cfssl', args, { cwd });
  const json = real('cfssljson', ['-bare', base], { cwd, stdin: gen.stdout });
  return { gen, json };
}

export interface OpensslFacts {
  subject: string;
  issuer: string;
  signatureAlgorithm: string;
  notBefore: Date;
  notAfter: Date;
  publicKey: string;
  /** Extension name → its text, with ` (critical)` appended when critical. */
  extensions: Map<string, string>;
}

/** What `openssl x509 -text` says about a certificate file. */
export function opensslFacts(file: string, cwd: string): OpensslFacts {
  const r = real('openssl', ['x509', '-in', file, '-noout', '-text'], { cwd });
  if (r.code !== 0) throw new Error(`openssl x509 ${file}: ${r.stderr}`);
  const text = r.stdout;
  const line = (re: RegExp) => re.exec(text)?.[1]?.trim() ?? '';
  const extensions = new Map<string, string>();
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === 'X509v3 extensions:');
  for (let i = start + 1; start >= 0 && i < lines.length && /^ {12}\S/.test(lines[i]); i++) {
    const m = /^ {12}(.+?):( critical)?\s*$/.exec(lines[i]);
    if (!m) continue;
    const values: string[] = [];
    while (i + 1 < lines.length && /^ {16}/.test(lines[i + 1])) values.push(lines[++i].trim());
    extensions.set(m[1], `${values.join(' ')}${m[2] ? ' (critical)' : ''}`);
  }
  return {
    subject: line(/^\s+Subject: (.*)$/m),
    issuer: line(/^\s+Issuer: (.*)$/m),
    signatureAlgorithm: line(/^\s+Signature Algorithm: (.*)$/m),
    notBefore: new Date(line(/Not Before: (.*)$/m)),
    notAfter: new Date(line(/Not After : (.*)$/m)),
    publicKey: `${line(/Public Key Algorithm: (.*)$/m)} ${line(/Public-Key: \((.*)\)/m)}`,
    extensions,
  };
}

/** stderr log lines without the `YYYY/MM/DD HH:MM:SS ` stamp and with serial numbers masked. */
export function logMessages(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[/.test(l))
    .map((l) => l.slice(20).replace(/serial number \d+/, 'serial number N'));
}
