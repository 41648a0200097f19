import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outputFiles } from './cfssljson.ts';

// cfssljson's field → file table (spec B.8).
const CASES = [
  { name: 'gencert output', input: { cert: 'C', csr: 'R', key: 'K' }, files: [['x.pem', 'C', 0o664], ['x-key.pem', 'K', 0o600], ['x.csr', 'R', 0o644]] },
  { name: 'API names', input: { certificate: 'C', private_key: 'K', certificate_request: 'R' }, files: [['x.pem', 'C', 0o664], ['x-key.pem', 'K', 0o600], ['x.csr', 'R', 0o644]] },
  { name: 'sign output', input: { cert: 'C' }, files: [['x.pem', 'C', 0o664]] },
  { name: 'empty fields are skipped', input: { cert: '', key: 'K' }, files: [['x-key.pem', 'K', 0o600]] },
  { name: 'bundle, encrypted key, OCSP response', input: { bundle: { bundle: 'B' }, encrypted_key: Buffer.from('E').toString('base64'), ocspResponse: Buffer.from('O').toString('base64') }, files: [['x-key.enc', 'E', 0o600], ['x-bundle.pem', 'B', 0o644], ['x-response.der', 'O', 0o644]] },
] as const;

for (const c of CASES) {
  test(`cfssljson files: ${c.name}`, () => {
    const files = outputFiles(JSON.parse(JSON.stringify(c.input)), 'x', '<stdin>');
    assert.deepEqual(files.map((f) => [f.name, f.contents.toString(), f.perms]), c.files);
  });
}

test('cfssljson refuses a field that is not a string, naming it', () => {
  assert.throws(() => outputFiles({ cert: 1 }, 'x', 'in.json'), { name: 'CliError', message: 'Failed to parse input: in.json: field "cert" is not a string' });
});
