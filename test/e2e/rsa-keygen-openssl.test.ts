// RSA keys from src/pki/rsa-keygen.ts pass OpenSSL's own key check (`openssl rsa -check`:
// primality of p and q, n = p·q, d, and the CRT values).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { generateKey } from '../../src/pki/keys.ts';
import { toolOptions } from '../support/tools.ts';

const dir = mkdtempSync(join(tmpdir(), 'kagg-rsa-keygen-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('openssl rsa -check accepts the keys (primes, exponent, CRT values)', toolOptions('openssl'), async () => {
  const keys = await Promise.all(Array.from({ length: 4 }, () => generateKey({ algo: 'rsa', size: 2048 })));
  keys.forEach((key, i) => {
    const file = join(dir, `k${i}.pem`);
    writeFileSync(file, key.privateKey.export({ format: 'pem', type: 'pkcs1' }));
    assert.match(execFileSync('openssl', ['rsa', '-check', '-noout', '-in', file], { encoding: 'utf8' }), /RSA key ok/);
  });
});
