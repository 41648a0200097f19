import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSelfSignedCA, generateKey } from '../pki/mod.ts';
import { parseAuthenticationConfigMap } from './auth-config.ts';

describe('parseAuthenticationConfigMap', () => {
  it('reads CAs and JSON lists; missing keys are empty lists, not flag defaults (§5.2)', async () => {
    const key = await generateKey({ algo: 'ecdsa', size: 256 });
    const ca = await createSelfSignedCA({ key, subject: { CN: 'front-proxy-ca' }, expiry: '1h' });
    const s = parseAuthenticationConfigMap({
      'requestheader-client-ca-file': ca.pem,
      'requestheader-allowed-names': '["front-proxy-client"]',
      'requestheader-group-headers': '["X-Remote-Group"]',
    });
    assert.equal(s.requestHeader.pool.length, 1);
    assert.deepEqual(s.requestHeader.allowedNames, ['front-proxy-client']);
    assert.deepEqual(s.requestHeader.groupHeaders, ['X-Remote-Group']);
    assert.deepEqual(s.requestHeader.usernameHeaders, []);
    assert.equal(s.clientCAPool.length, 0);
  });

  const invalid = [
    { name: 'not JSON', value: 'X-Remote-User' },
    { name: 'not an array', value: '"X-Remote-User"' },
    { name: 'non-string entries', value: '[1]' },
  ];
  for (const c of invalid) {
    it(`refuses a list key that is ${c.name}`, () => {
      assert.throws(() => parseAuthenticationConfigMap({ 'requestheader-username-headers': c.value }), /key requestheader-username-headers: not a JSON string array/);
    });
  }

  it('refuses a CA key without a certificate', () => {
    assert.throws(() => parseAuthenticationConfigMap({ 'client-ca-file': 'garbage' }), /client-ca-file: no CERTIFICATE block/);
  });
});
