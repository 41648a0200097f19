import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ensureServingPki } from './wardle-pki.ts';

test('wardle serving PKI: issued in the second half of a minute, CA and leaf are valid at once', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kagg-wardle-pki-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  // notBefore is the clock rounded to the nearest minute, minus the backdate: 12:00:45
  // rounds up to 12:01:00, so without a backdate the leaf would start 15 s in the future.
  const now = new Date('2026-11-28T12:00:45Z');
  const pki = await ensureServingPki(dir, { name: 'api', namespace: 'wardle' }, { now });
  for (const file of [pki.caFile, pki.certFile]) {
    const cert = new X509Certificate(await readFile(file));
    assert.ok(Date.parse(cert.validFrom) <= now.getTime(), `${file}: notBefore ${cert.validFrom} is after ${now.toISOString()}`);
    assert.ok(Date.parse(cert.validTo) > now.getTime() + 300 * 24 * 3600 * 1000, `${file}: valid for most of a year at least`);
  }
  const leaf = new X509Certificate(await readFile(pki.certFile));
  assert.ok(leaf.checkIssued(new X509Certificate(pki.caPem)));
  assert.match(leaf.subjectAltName ?? '', /DNS:api\.wardle\.svc/);
});
