import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadServingCert } from './serving-cert.ts';

describe('loadServingCert', () => {
  it('generates a CA-signed serving cert once, reuses it, and regenerates for new hosts', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'kagg-serving-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const first = await loadServingCert({ certDir: join(dir, 'certs'), hosts: ['localhost', '127.0.0.1', 'api.wardle.svc'] });
    assert.equal(first.generated, true);
    const leaf = new X509Certificate(first.cert);
    const ca = new X509Certificate(first.caBundle);
    assert.ok(ca.ca);
    assert.ok(leaf.verify(ca.publicKey), 'the leaf is signed by the caBundle');
    assert.equal(leaf.checkHost('api.wardle.svc'), 'api.wardle.svc');
    assert.equal(leaf.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal((await stat(join(dir, 'certs', 'apiserver.key'))).mode & 0o777, 0o600);
    assert.equal(await readFile(join(dir, 'certs', 'apiserver.crt'), 'utf8'), first.cert);

    const again = await loadServingCert({ certDir: join(dir, 'certs'), hosts: ['localhost', 'api.wardle.svc'] });
    assert.equal(again.generated, false);
    assert.equal(again.caBundle, first.caBundle);
    const other = await loadServingCert({ certDir: join(dir, 'certs'), hosts: ['api.other.svc'] });
    assert.equal(other.generated, true);
    assert.notEqual(other.caBundle, first.caBundle);
  });

  it('uses given files and needs both of them', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'kagg-serving-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const made = await loadServingCert({ certDir: dir });
    const given = await loadServingCert({ certFile: made.certFile, keyFile: made.keyFile });
    assert.equal(given.generated, false);
    assert.equal(given.caBundle, made.caBundle);
    await assert.rejects(loadServingCert({ certFile: made.certFile }), /must be given together/);
    await assert.rejects(loadServingCert({}), /--cert-dir is required/);
  });
});
