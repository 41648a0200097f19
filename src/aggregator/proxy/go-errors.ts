// Node network/TLS errors rendered the way Go's net/http and crypto/tls print them, since
// those texts reach clients (`error trying to reach service: …`) and APIService conditions
// (`failing or missing response from …`) and operators grep for them (spec 2.10.6, 4.3, 9).

interface NodeError {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  reason?: string;
  host?: string;
  cert?: { subjectaltname?: string };
}

function innermost(err: unknown): NodeError {
  let e = err as NodeError;
  for (let i = 0; i < 5 && e && typeof e === 'object' && e.cause && typeof e.cause === 'object'; i++) e = e.cause as NodeError;
  return e ?? {};
}

const UNKNOWN_AUTHORITY = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_SIGNATURE_FAILURE']);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

/** `tls: failed to verify certificate: x509: …` or `dial tcp <addr>: …`, else the message. */
export function goNetError(err: unknown, addr: string, serverName: string): string {
  const e = innermost(err);
  const code = e.code ?? '';
  if (UNKNOWN_AUTHORITY.has(code)) return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
  if (EXPIRED.has(code)) return 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const sans = (e.cert?.subjectaltname ?? '').split(', ').filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4));
    const valid = sans.length > 0 ? sans.join(', ') : 'no DNS names';
    return `tls: failed to verify certificate: x509: certificate is valid for ${valid}, not ${serverName}`;
  }
  if (code === 'ECONNREFUSED') return `dial tcp ${addr}: connect: connection refused`;
  if (code === 'EHOSTUNREACH') return `dial tcp ${addr}: connect: no route to host`;
  if (code === 'ENETUNREACH') return `dial tcp ${addr}: connect: network is unreachable`;
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return `dial tcp ${addr}: i/o timeout`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `dial tcp: lookup ${e.host ?? addr}: no such host`;
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'read: connection reset by peer';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || e.reason === 'timeout' || code === 'ABORT_ERR' || e.name === 'TimeoutError') return 'context deadline exceeded';
  return e.message ?? String(err);
}
