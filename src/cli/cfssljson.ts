// `kagg cfssljson [-bare] [-f FILE] [-stdout] [BASENAME]`: splits cfssl's JSON into
// BASENAME.pem, BASENAME-key.pem, BASENAME.csr (and the rarer fields) with cfssljson's
// file modes. Everything is decoded first; files are written only when all of it is good,
// each one atomically.
import { stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { goField, isJsonObject, JsonSyntaxError, parseGoJson, type JsonObject, type JsonValue } from '../pki/cfssl/go-json.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { boolFlag, parseGoFlags, stringFlag } from './cfssl-flags.ts';
import { displayName, readInput, readStdin } from './cfssl-input.ts';
import { CliError, type CliCommand, type CliIO } from './io.ts';

export const CFSSLJSON_USAGE = `Usage of cfssljson:
    kagg cfssljson [-bare] [-f file] [-stdout] [basename]

Flags:
    -bare      the input is the bare JSON that 'cfssl gencert' prints (not an API response)
    -f         JSON input file ('-' for stdin, the default)
    -stdout    print the contents to stdout instead of writing files
`;

const FLAGS = { bare: 'bool', f: 'string', stdout: 'bool' } as const;

interface OutputFile {
  name: string;
  contents: Buffer;
  /** Mode before the umask, as cfssljson creates the file. */
  perms: number;
}

function text(input: JsonObject, keys: readonly string[], source: string): string | undefined {
  for (const key of keys) {
    const v = input[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw new CliError(`Failed to parse input: ${source}: field "${key}" is not a string`);
    return v;
  }
  return undefined;
}

/** The files cfssljson would write for `input`, in its order. */
export function outputFiles(input: JsonObject, base: string, source: string): OutputFile[] {
  const out: OutputFile[] = [];
  const cert = text(input, ['cert', 'certificate'], source);
  if (cert) out.push({ name: `${base}.pem`, contents: Buffer.from(cert), perms: 0o664 });
  const key = text(input, ['key', 'private_key'], source);
  if (key) out.push({ name: `${base}-key.pem`, contents: Buffer.from(key), perms: 0o600 });
  const encKey = text(input, ['encrypted_key'], source);
  if (encKey) out.push({ name: `${base}-key.enc`, contents: Buffer.from(encKey, 'base64'), perms: 0o600 });
  const csr = text(input, ['csr', 'certificate_request'], source);
  if (csr) out.push({ name: `${base}.csr`, contents: Buffer.from(csr), perms: 0o644 });
  const bundle = input.bundle;
  if (isJsonObject(bundle)) {
    const b = text(bundle, ['bundle'], source);
    if (b) out.push({ name: `${base}-bundle.pem`, contents: Buffer.from(b), perms: 0o644 });
  }
  const ocsp = text(input, ['ocspResponse'], source);
  if (ocsp) out.push({ name: `${base}-response.der`, contents: Buffer.from(ocsp, 'base64'), perms: 0o644 });
  return out;
}

function currentUmask(): number {
  try {
    return process.umask();
  } catch {
    return 0o022;
  }
}

async function existingMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o777;
  } catch {
    return undefined;
  }
}

export const cfssljsonCommand: CliCommand = {
  name: 'cfssljson',
  summary: 'write cfssl JSON output (cert, key, csr) to files, like cfssljson',
  async run(args: string[], io: CliIO): Promise<number> {
    const flags = parseGoFlags(args, FLAGS, 'kagg cfssljson');
    if (flags.help) {
      io.stderr.write(CFSSLJSON_USAGE);
      return 0;
    }
    const inputFile = stringFlag(flags, 'f') || '-';
    const base = flags.positional[0] ?? 'cert';
    const source = displayName(inputFile);
    const raw = inputFile === '-' ? await readStdin(io) : await readInput(io, inputFile);
    let parsed: JsonValue;
    try {
      parsed = parseGoJson(raw);
    } catch (err) {
      if (err instanceof JsonSyntaxError) {
        const where = err.offset >= raw.length && raw.trim() === '' ? `${source} is empty` : `${source}:${err.line}:${err.column}: ${err.message}`;
        throw new CliError(`Failed to parse input: ${where}`);
      }
      throw err;
    }
    if (!isJsonObject(parsed)) throw new CliError(`Failed to parse input: ${source}: expected a JSON object`);
    let input: JsonObject = parsed;
    if (!boolFlag(flags, 'bare')) {
      if (goField(input, 'success') !== true) {
        const errors = goField(input, 'errors');
        const messages = Array.isArray(errors) ? errors.map((e) => (isJsonObject(e) && typeof e.message === 'string' ? e.message : JSON.stringify(e))) : [];
        const hint = goField(input, 'cert') !== undefined ? " (this looks like 'cfssl gencert' output: add -bare)" : '';
        throw new CliError(`Request failed: ${source}${messages.length ? `: ${messages.join('; ')}` : ' is not a successful cfssl API response'}${hint}`);
      }
      const result = goField(input, 'result');
      if (!isJsonObject(result)) throw new CliError(`Failed to parse input: ${source}: "result" is not an object`);
      input = result;
    }
    const files = outputFiles(input, base, source);
    if (boolFlag(flags, 'stdout')) {
      // cfssljson prints each content with Println: a newline follows every one.
      for (const f of files) io.stdout.write(Buffer.concat([f.contents, Buffer.from('\n')]));
      return 0;
    }
    const umask = currentUmask();
    for (const f of files) {
      const path = isAbsolute(f.name) ? f.name : join(io.cwd, f.name);
      const mode = (await existingMode(path)) ?? f.perms & ~umask;
      try {
        await writeFileAtomic(path, f.contents, { mode });
      } catch (err) {
        throw new CliError(`cfssljson: cannot write ${f.name}: ${(err as Error).message}`, 1, { cause: err });
      }
    }
    return 0;
  },
};
