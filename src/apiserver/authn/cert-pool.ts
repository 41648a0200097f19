// A pool of trusted CA certificates and chain verification with Go's x509 wording
// (`x509: certificate signed by unknown authority`, ...), since clients and tests match it.
import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TLSSocket, type DetailedPeerCertificate } from 'node:tls';

export type CertPool = readonly X509Certificate[];

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const OID_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const OID_ANY_EKU = '2.5.29.37.0';
const MAX_CHAIN = 8;

/** Every CERTIFICATE block of a PEM bundle. Throws when there is none. */
export function parseCertPool(pem: string, source = 'CA bundle'): CertPool {
  const blocks = pem.match(PEM_CERT) ?? [];
  if (blocks.length === 0) throw new Error(`${source}: no CERTIFICATE block found`);
  return blocks.map((b) => new X509Certificate(b));
}

export interface VerifyOptions {
  now?: Date;
  /** Required extended key usage on the leaf; default clientAuth. */
  usage?: 'clientAuth';
}

function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  return child.checkIssued(parent) && child.verify(parent.publicKey);
}

function validAt(cert: X509Certificate, now: Date): boolean {
  return new Date(cert.validFrom) <= now && now <= new Date(cert.validTo);
}

function goTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Chain outcomes per pool (a reloaded pool is a new array): signature checks would
 * otherwise dominate the cost of a request, including the failing check of a client-CA
 * certificate against the requestheader pool on every request.
 */
type Outcome = { ok: true; notBefore: number; notAfter: number } | { ok: false; error: string };
const outcomes = new WeakMap<CertPool, Map<string, Outcome>>();
const MAX_CACHED_CHAINS = 10_000;

/**
 * Verifies `leaf` up to a root of `pool`, through `intermediates`. Returns an Error with
 * Go's message on failure, `undefined` when the chain is good. The leaf's validity is
 * checked on every call; the rest of the outcome is remembered per pool and chain.
 */
export function verifyChain(leaf: X509Certificate, intermediates: readonly X509Certificate[], pool: CertPool, options: VerifyOptions = {}): Error | undefined {
  const now = options.now ?? new Date();
  const timeErr = leafTimeError(leaf, now);
  if (timeErr) return timeErr;
  const key = [leaf, ...intermediates].map((c) => c.fingerprint256).join('|');
  let cache = outcomes.get(pool);
  const hit = cache?.get(key);
  if (hit && !hit.ok) return new Error(hit.error);
  if (hit && hit.notBefore <= now.getTime() && now.getTime() <= hit.notAfter) return undefined;
  const err = verifyChainUncached(leaf, intermediates, pool, now);
  if (!cache) outcomes.set(pool, (cache = new Map()));
  if (cache.size >= MAX_CACHED_CHAINS) cache.clear();
  if (err) {
    // Only outcomes that do not depend on the clock are remembered.
    if (!/expired or is not yet valid/.test(err.message)) cache.set(key, { ok: false, error: err.message });
  } else {
    // Conservative window: every certificate involved (the root is one of the pool's).
    const all = [leaf, ...intermediates, ...pool];
    cache.set(key, { ok: true, notBefore: Math.max(...all.map((c) => new Date(c.validFrom).getTime())), notAfter: Math.min(...all.map((c) => new Date(c.validTo).getTime())) });
  }
  return err;
}

function leafTimeError(leaf: X509Certificate, now: Date): Error | undefined {
  if (validAt(leaf, now)) return undefined;
  const after = now > new Date(leaf.validTo);
  return new Error(`x509: certificate has expired or is not yet valid: current time ${goTime(now)} is ${after ? 'after' : 'before'} ${goTime(new Date(after ? leaf.validTo : leaf.validFrom))}`);
}

function verifyChainUncached(leaf: X509Certificate, intermediates: readonly X509Certificate[], pool: CertPool, now: Date): Error | undefined {
  const eku = leaf.keyUsage;
  if (eku && eku.length > 0 && !eku.includes(OID_CLIENT_AUTH) && !eku.includes(OID_ANY_EKU)) {
    return new Error('x509: certificate specifies an incompatible key usage');
  }
  let current = leaf;
  for (let depth = 0; depth < MAX_CHAIN; depth++) {
    const root = pool.find((ca) => (ca.fingerprint256 === current.fingerprint256 || issuedBy(current, ca)) && validAt(ca, now));
    if (root) return undefined;
    const next = intermediates.find((c) => c.fingerprint256 !== current.fingerprint256 && c.ca && issuedBy(current, c) && validAt(c, now));
    if (!next) break;
    current = next;
  }
  return new Error('x509: certificate signed by unknown authority');
}

const chains = new WeakMap<object, X509Certificate[]>();

/** The client's certificate chain, leaf first; empty without TLS or without a client cert. */
export function peerCertificatesOf(req: IncomingMessage): X509Certificate[] {
  const socket = req.socket;
  if (!(socket instanceof TLSSocket)) return [];
  const cached = chains.get(socket);
  if (cached) return cached;
  const out: X509Certificate[] = [];
  let peer = socket.getPeerCertificate(true) as DetailedPeerCertificate | Record<string, never>;
  const seen = new Set<string>();
  while (peer && 'raw' in peer && peer.raw && out.length < MAX_CHAIN) {
    const fp = peer.fingerprint256;
    if (seen.has(fp)) break;
    seen.add(fp);
    out.push(new X509Certificate(peer.raw));
    peer = peer.issuerCertificate;
  }
  chains.set(socket, out);
  return out;
}

/** Subject attribute values of one type (`CN`, `O`), in order. */
export function subjectValues(cert: X509Certificate, type: string): string[] {
  const out: string[] = [];
  // One line per RDN; a multi-valued RDN (several O in one SET) is joined with ' + '.
  for (const line of cert.subject.split('\n')) {
    for (const part of line.split(' + ')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq) === type) out.push(part.slice(eq + 1));
    }
  }
  return out;
}
