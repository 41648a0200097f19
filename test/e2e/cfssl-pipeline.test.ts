// The seed article's two commands with `kagg` in front, run as real shell pipelines
// through the package's bin script: files appear with cfssljson's modes and the chain
// verifies; a failing gencert makes the pipeline fail and writes nothing.
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { toolOptions } from '../support/tools.ts';
import { real, seedDir } from './cfssl-harness.ts';

const KAGG = fileURLToPath(new URL('../../bin/kagg.mjs', import.meta.url));
const k = `"${process.execPath}" "${KAGG}"`;

test('seed commands with kagg in front, as shell pipelines', toolOptions('openssl'), async (t) => {
  const dir = seedDir(t);
  const script = [
    'set -e',
    `${k} cfssl gencert -initca aggregator-ca-csr.json | ${k} cfssljson -bare aggregator-ca`,
    `${k} cfssl gencert -ca=aggregator-ca.pem -ca-key=aggregator-ca-key.pem -config=aggregator-ca-config.json -profile=aggregator aggregator-csr.json | ${k} cfssljson -bare aggregator`,
    'openssl verify -CAfile aggregator-ca.pem aggregator.pem',
  ].join('\n');
  const r = real('sh', ['-c', `umask 022\n${script}`], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /aggregator.pem: OK/);
  const modes = Object.fromEntries(['aggregator-ca.pem', 'aggregator-ca-key.pem', 'aggregator-ca.csr', 'aggregator.pem', 'aggregator-key.pem', 'aggregator.csr'].map((f) => [f, (statSync(join(dir, f)).mode & 0o777).toString(8)]));
  assert.deepEqual(modes, { 'aggregator-ca.pem': '644', 'aggregator-ca-key.pem': '600', 'aggregator-ca.csr': '644', 'aggregator.pem': '644', 'aggregator-key.pem': '600', 'aggregator.csr': '644' });
  assert.match(r.stderr, /\[INFO\] signed certificate with serial number \d+/);

  const bad = real('sh', ['-c', `${k} cfssl gencert -ca=aggregator-ca.pem -ca-key=aggregator-ca-key.pem -config=aggregator-ca-config.json -profile=nosuch aggregator-csr.json | ${k} cfssljson -bare z`], { cwd: dir });
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, 'aggregator-ca-config.json: unknown signing profile "nosuch" (profiles: aggregator)\nFailed to parse input: <stdin> is empty\n');
  assert.equal(existsSync(join(dir, 'z.pem')), false);
});
