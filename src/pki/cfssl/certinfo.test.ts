import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { inspectCertificate } from '../inspect.ts';
import { cfsslCertInfoJson, cfsslCsrInfoJson, formatKeyId, leafNamedLikeIssuer } from './certinfo.ts';

const golden = (name: string) => readFileSync(new URL(`../../../test/fixtures/pki/cfssl-golden/${name}`, import.meta.url), 'utf8');

// Recorded `cfssl-certinfo -cert` outputs, compared byte for byte.
for (const name of ['aggregator.pem', 'aggregator-ca.pem', 'variants/mixed.pem', 'variants/ec-leaf.pem', 'variants/nohosts.pem']) {
  test(`certinfo of ${name} equals the recorded cfssl-certinfo output`, () => {
    assert.equal(cfsslCertInfoJson(golden(name)), golden(`${name}.cfssl-certinfo.json`));
  });
}

test('certinfo -csr of aggregator.csr equals the recorded cfssl certinfo -csr output', async () => {
  assert.equal(await cfsslCsrInfoJson(golden('aggregator.csr')), golden('aggregator.csr.cfssl-certinfo-csr.json'));
});

test('key ids print as upper-case hex without zero padding', () => {
  assert.equal(formatKeyId(Buffer.from([0x3c, 0x05, 0x0c, 0x00, 0xff])), '3C:5:C:0:FF');
  assert.equal(formatKeyId(undefined), '');
});

test('leafNamedLikeIssuer: the cfssl aggregator leaf yes, its CA and a differently named leaf no', () => {
  assert.equal(leafNamedLikeIssuer(inspectCertificate(golden('aggregator.pem'))), true);
  assert.equal(leafNamedLikeIssuer(inspectCertificate(golden('aggregator-ca.pem'))), false);
  assert.equal(leafNamedLikeIssuer(inspectCertificate(golden('variants/nohosts.pem'))), false);
});
