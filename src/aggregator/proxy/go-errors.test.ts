import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goNetError } from './go-errors.ts';

const err = (code: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(`node ${code}`), { code, ...extra });

test('Node network and TLS errors in Go wording', () => {
  const cases: Array<[unknown, string]> = [
    [err('ECONNREFUSED'), 'dial tcp 10.0.0.1:443: connect: connection refused'],
    [err('EHOSTUNREACH'), 'dial tcp 10.0.0.1:443: connect: no route to host'],
    [new Error('fetch failed', { cause: err('SELF_SIGNED_CERT_IN_CHAIN') }), 'tls: failed to verify certificate: x509: certificate signed by unknown authority'],
    [err('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'tls: failed to verify certificate: x509: certificate signed by unknown authority'],
    [err('CERT_HAS_EXPIRED'), 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid'],
    [err('ERR_TLS_CERT_ALTNAME_INVALID', { cert: { subjectaltname: 'DNS:foo.bar.svc, IP Address:10.0.0.1' } }), 'tls: failed to verify certificate: x509: certificate is valid for foo.bar.svc, not api.wardle.svc'],
    [Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }), 'context deadline exceeded'],
    [new Error('something else'), 'something else'],
  ];
  for (const [e, want] of cases) assert.equal(goNetError(e, '10.0.0.1:443', 'api.wardle.svc'), want);
});
