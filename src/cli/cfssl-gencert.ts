// `kagg cfssl gencert`: cfssl's flags and output (one JSON line with cert, csr, key on
// stdout; INFO log lines on stderr). Every input is checked before a key is generated,
// and any failure is one line naming the file, exit 1, nothing on stdout.
import { cfsslGencert, cfsslInitCA, type GencertResult, type LogLine } from '../pki/cfssl/gencert.ts';
import { marshalGoJson } from '../pki/cfssl/go-json.ts';
import { parseCfsslCsrRequest, type CfsslCsrRequest } from '../pki/cfssl/csr-request.ts';
import { CFSSL_DEFAULT_CONFIG, parseSigningConfig, selectProfile, type SigningProfile } from '../pki/cfssl/signing-config.ts';
import { PkiError } from '../pki/errors.ts';
import { classifyHosts } from '../pki/sans.ts';
import { resolveCfsslUsages } from '../pki/usages.ts';
import { inspectCertificate, type CertificateInfo } from '../pki/inspect.ts';
import { parsePrivateKeyPem, privateKeyMatchesCert, type PrivateKey } from '../pki/keys.ts';
import { boolFlag, intFlag, parseGoFlags, stringFlag } from './cfssl-flags.ts';
import { contentError, displayName, logLine, readInput } from './cfssl-input.ts';
import { CliError, type CliIO } from './io.ts';

export const GENCERT_USAGE = `Usage of gencert:
    kagg cfssl gencert -initca CSRJSON
    kagg cfssl gencert -ca cert -ca-key key [-config config] [-profile profile] [-hostname hostname] CSRJSON

Flags:
    -initca       initialise a new CA
    -ca           CA used to sign the new certificate
    -ca-key       CA private key
    -config       path to the signing configuration file
    -profile      signing profile to use
    -hostname     hostnames for the certificate, comma separated (replaces the CSR's hosts)
    -loglevel     log level (0 = DEBUG, 1 = INFO, 2 = WARNING, 3 = ERROR, 4 = CRITICAL)
`;

const FLAGS = { initca: 'bool', ca: 'string', 'ca-key': 'string', config: 'string', profile: 'string', hostname: 'string', loglevel: 'int', label: 'string', remote: 'string' } as const;

const LEVELS = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 } as const;

/** Writes buffered log lines at or above the -loglevel threshold (default INFO). */
export function writeLog(io: CliIO, log: readonly LogLine[], threshold: number): void {
  for (const line of log) if (LEVELS[line.level] >= threshold) io.stderr.write(logLine(line.level, line.message));
}

export async function loadRequest(io: CliIO, file: string): Promise<CfsslCsrRequest> {
  const text = await readInput(io, file);
  try {
    return parseCfsslCsrRequest(text);
  } catch (err) {
    throw contentError(file, err);
  }
}

export async function loadProfile(io: CliIO, file: string, profileName: string): Promise<SigningProfile> {
  if (!file) {
    if (profileName) throw new CliError(`-profile=${profileName} needs a signing config (-config); without one only the built-in default profile exists`);
    return CFSSL_DEFAULT_CONFIG.default;
  }
  const text = await readInput(io, file);
  try {
    const profile = selectProfile(parseSigningConfig(text), profileName || undefined);
    const usages = resolveCfsslUsages(profile.usages);
    if (usages.keyUsage.length === 0 && usages.extKeyUsage.length === 0) throw new PkiError('NO_KEY_USAGE', `Invalid policy: no key usage available in signing profile "${profileName || 'default'}"`);
    return profile;
  } catch (err) {
    if (err instanceof PkiError && err.code === 'INVALID_CONFIG') throw contentError(file, new PkiError('INVALID_CONFIG', `failed to load config file: ${err.message}`));
    throw contentError(file, err);
  }
}

export async function loadCa(io: CliIO, certFile: string, keyFile: string): Promise<{ cert: string; key: PrivateKey }> {
  const certText = await readInput(io, certFile);
  let info: CertificateInfo;
  try {
    info = inspectCertificate(certText);
  } catch (err) {
    throw contentError(certFile, err);
  }
  if (info.basicConstraints && !info.isCA) throw new CliError(`${displayName(certFile)}: the certificate is not a CA (BasicConstraints CA:FALSE); cfssl would sign with it anyway, but nothing would verify`);
  if (info.extensions.some((e) => e.oid === '2.5.29.15') && !info.keyUsage.includes('keyCertSign')) throw new CliError(`${displayName(certFile)}: the CA certificate may not sign certificates (its KeyUsage lacks Certificate Sign)`);
  const keyText = await readInput(io, keyFile);
  let key: PrivateKey;
  try {
    key = parsePrivateKeyPem(keyText);
  } catch (err) {
    throw contentError(keyFile, err);
  }
  if (!privateKeyMatchesCert(key, certText)) throw new CliError(`${displayName(keyFile)}: the CA private key does not match the CA certificate ${displayName(certFile)}`);
  return { cert: certText, key };
}

export async function runGencert(args: string[], io: CliIO): Promise<number> {
  const flags = parseGoFlags(args, FLAGS, 'kagg cfssl gencert');
  if (flags.help) {
    io.stderr.write(GENCERT_USAGE);
    return 0;
  }
  const csrFile = flags.positional[0];
  if (!csrFile) throw new CliError('not enough arguments are supplied --- please refer to the usage');
  if (stringFlag(flags, 'remote')) throw new CliError('-remote is not supported by kagg: it signs locally only');
  const hostnames = hostnameFlag(stringFlag(flags, 'hostname'));
  let result: GencertResult;
  if (boolFlag(flags, 'initca')) {
    const req = await loadRequest(io, csrFile);
    result = await generate(csrFile, () => cfsslInitCA(req));
  } else {
    const caFile = stringFlag(flags, 'ca');
    const caKeyFile = stringFlag(flags, 'ca-key');
    if (!caFile) throw new CliError('need a CA certificate (provide one with -ca)');
    if (!caKeyFile) throw new CliError('need a CA key (provide one with -ca-key)');
    const profile = await loadProfile(io, stringFlag(flags, 'config'), stringFlag(flags, 'profile'));
    const ca = await loadCa(io, caFile, caKeyFile);
    const req = await loadRequest(io, csrFile);
    result = await generate(csrFile, () => cfsslGencert(req, { ca, profile, hostnames }));
  }
  writeLog(io, result.log, intFlag(flags, 'loglevel', 1));
  io.stdout.write(`${marshalGoJson({ cert: result.cert, csr: result.csr, key: result.key })}\n`);
  return 0;
}

/** The -hostname list, each entry checked like a `hosts` entry; a bad one names the flag. */
export function hostnameFlag(value: string): string[] {
  const hostnames = value.split(',').filter((h) => h !== '');
  try {
    classifyHosts(hostnames);
  } catch (err) {
    throw new CliError(`-hostname: ${(err as Error).message}`, 1, { cause: err });
  }
  return hostnames;
}

/** Runs a generation step; its request errors name the CSR file. */
export async function generate<T>(csrFile: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof PkiError && err.code === 'MISSING_SUBJECT') throw contentError(csrFile, new PkiError('MISSING_SUBJECT', 'missing subject information (no CN and no names values)'));
    throw contentError(csrFile, err);
  }
}
