// `cfssl gencert` as a library call: key + CSR + certificate from a cfssl CSR request,
// either self-signed (`-initca`) or signed by a CA under a signing profile. The log lines
// cfssl prints are returned, not printed, so the CLI decides where they go.
import { PkiError } from '../errors.ts';
import { CFSSL_DEFAULT_CA_EXPIRY_MS, parseGoDuration } from '../duration.ts';
import { createCertificateRequest, parseCertificateRequest } from '../csr.ts';
import { encodePrivateKeyPem, generateKey, validateKeySpec } from '../keys.ts';
import { isEmptySubject } from '../names.ts';
import { classifyHosts, type SubjectAltNames } from '../sans.ts';
import { createSelfSignedCA, signCertificate, type CertificateAuthority } from '../sign.ts';
import { resolveCfsslUsages } from '../usages.ts';
import { cfsslSubject, keyLabel, type CfsslCsrRequest } from './csr-request.ts';
import type { SigningProfile } from './signing-config.ts';

export type LogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

export interface LogLine {
  level: LogLevel;
  message: string;
}

export interface GencertResult {
  /** PEM texts, as `cfssl gencert` prints them in its JSON. */
  cert: string;
  csr: string;
  key: string;
  serialNumber: bigint;
  log: LogLine[];
}

export const CFSSL_NO_HOSTS_WARNING =
  'This certificate lacks a "hosts" field. This makes it unsuitable for\nwebsites. For more information see the Baseline Requirements for the Issuance and Management\nof Publicly-Trusted Certificates, v.1.1.6, from the CA/Browser Forum (https://cabforum.org);\nspecifically, section 10.2.3 ("Information Requirements").';

interface Checked {
  sans: SubjectAltNames;
  subject: ReturnType<typeof cfsslSubject>;
}

// Everything that can be wrong with a request is found before any key is generated.
function check(req: CfsslCsrRequest): Checked {
  const subject = cfsslSubject(req);
  if (isEmptySubject(subject)) throw new PkiError('MISSING_SUBJECT');
  validateKeySpec(req.key);
  return { subject, sans: classifyHosts(req.hosts) };
}

/** `cfssl gencert -initca`: a new key, a CSR requesting CA:TRUE, and a self-signed root. */
export async function cfsslInitCA(req: CfsslCsrRequest, options: { now?: Date } = {}): Promise<GencertResult> {
  const log: LogLine[] = [{ level: 'INFO', message: 'generating a new CA key and certificate from CSR' }];
  let expiryMs = CFSSL_DEFAULT_CA_EXPIRY_MS;
  if (req.ca?.expiry) {
    try {
      expiryMs = parseGoDuration(req.ca.expiry);
    } catch (err) {
      throw new PkiError('INVALID_DURATION', `ca.expiry: ${(err as Error).message}`);
    }
  }
  const pathLen = req.ca && req.ca.pathlen > 0 ? req.ca.pathlen : req.ca?.pathlenzero ? 0 : undefined;
  const { subject, sans } = check(req);
  log.push({ level: 'INFO', message: 'generate received request' }, { level: 'INFO', message: 'received CSR' }, { level: 'INFO', message: `generating key: ${keyLabel(req.key)}` });
  const key = await generateKey(req.key);
  const basicConstraints = { isCA: true, ...(pathLen !== undefined ? { pathLen } : {}) };
  const csr = await createCertificateRequest({ subject, key, sans, basicConstraints });
  log.push({ level: 'INFO', message: 'encoded CSR' });
  // A cfssl root keeps IP SANs only (DNS, e-mail and URI hosts are dropped).
  const cert = await createSelfSignedCA({ subject, key, sans: { ip: sans.ip ?? [] }, pathLen, expiry: expiryMs, now: options.now });
  log.push({ level: 'INFO', message: `signed certificate with serial number ${cert.serialNumber}` });
  return { cert: cert.pem, csr, key: encodePrivateKeyPem(key), serialNumber: cert.serialNumber, log };
}

export interface GencertOptions {
  ca: CertificateAuthority;
  profile: SigningProfile;
  /** `-hostname=a,b`: replaces the request's hosts in the certificate (not in the CSR). */
  hostnames?: string[];
  now?: Date;
}

export interface GenkeyResult {
  csr: string;
  key: string;
  log: LogLine[];
}

/** `cfssl genkey CSR.json`: a new key and its CSR, nothing signed. */
export async function cfsslGenkey(req: CfsslCsrRequest): Promise<GenkeyResult> {
  if (req.ca) throw new PkiError('INVALID_REQUEST', 'ca section only permitted in initca');
  const { subject, sans } = check(req);
  const log: LogLine[] = [
    { level: 'INFO', message: 'generate received request' },
    { level: 'INFO', message: 'received CSR' },
    { level: 'INFO', message: `generating key: ${keyLabel(req.key)}` },
  ];
  const key = await generateKey(req.key);
  const csr = await createCertificateRequest({ subject, key, sans });
  log.push({ level: 'INFO', message: 'encoded CSR' });
  return { csr, key: encodePrivateKeyPem(key), log };
}

function profileUsages(profile: SigningProfile) {
  const usages = resolveCfsslUsages(profile.usages);
  if (usages.keyUsage.length === 0 && usages.extKeyUsage.length === 0) throw new PkiError('NO_KEY_USAGE');
  return usages;
}

/** `cfssl gencert -ca … -ca-key … [-config -profile] CSR.json`: a new key and CSR, signed by the CA. */
export async function cfsslGencert(req: CfsslCsrRequest, options: GencertOptions): Promise<GencertResult> {
  if (req.ca) throw new PkiError('INVALID_REQUEST', 'ca section only permitted in initca');
  check(req);
  if (options.hostnames && options.hostnames.length > 0) classifyHosts(options.hostnames);
  profileUsages(options.profile);
  const generated = await cfsslGenkey(req);
  const signed = await cfsslSign(generated.csr, { ...options, hostnames: options.hostnames && options.hostnames.length > 0 ? options.hostnames : req.hosts });
  return { cert: signed.cert, csr: generated.csr, key: generated.key, serialNumber: signed.serialNumber, log: [...generated.log, ...signed.log] };
}

export interface SignResult {
  cert: string;
  serialNumber: bigint;
  log: LogLine[];
}

/**
 * `cfssl sign -ca … -ca-key … [-config -profile] [-hostname] CSR.pem`: signs an existing
 * CSR (made by any tool) under a profile. Subject and public key come from the CSR; SANs
 * too, unless `hostnames` is given.
 */
export async function cfsslSign(csrPem: string, options: GencertOptions): Promise<SignResult> {
  const usages = profileUsages(options.profile);
  const request = await parseCertificateRequest(csrPem);
  const hostSans = options.hostnames && options.hostnames.length > 0 ? classifyHosts(options.hostnames) : request.sans;
  const cc = options.profile.caConstraint;
  const isCA = cc?.isCA ?? false;
  const pathLen = isCA ? (cc!.maxPathLen > 0 ? cc!.maxPathLen : cc!.maxPathLenZero ? 0 : undefined) : undefined;
  const log: LogLine[] = [];
  const cert = await signCertificate({
    ca: options.ca,
    publicKey: request.publicKey,
    subject: request.subject,
    sans: hostSans,
    keyUsage: usages.keyUsage,
    extKeyUsage: usages.extKeyUsage,
    isCA,
    pathLen,
    expiry: options.profile.expiryMs,
    backdate: options.profile.backdateMs,
    notBefore: options.profile.notBefore,
    notAfter: options.profile.notAfter,
    now: options.now,
  });
  log.push({ level: 'INFO', message: `signed certificate with serial number ${cert.serialNumber}` });
  const hostCount = (hostSans.dns?.length ?? 0) + (hostSans.ip?.length ?? 0) + (hostSans.email?.length ?? 0) + (hostSans.uri?.length ?? 0);
  if (hostCount === 0) log.push({ level: 'WARNING', message: CFSSL_NO_HOSTS_WARNING });
  return { cert: cert.pem, serialNumber: cert.serialNumber, log };
}
