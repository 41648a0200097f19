// encodeName against @peculiar/x509's Name (the encoder it replaced), byte for byte.
import 'reflect-metadata';
import * as px from '@peculiar/x509';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeName } from './name-der.ts';
import type { Rdns } from './names.ts';

function peculiarName(rdns: Rdns): Buffer {
  const json = rdns.map((rdn) => {
    const record: Record<string, { printableString?: string; utf8String?: string }[]> = {};
    for (const atv of rdn) (record[atv.oid] ??= []).push(atv.stringType === 'printable' ? { printableString: atv.value } : { utf8String: atv.value });
    return record;
  });
  return Buffer.from(new px.Name(json).toArrayBuffer());
}

const cases: { name: string; rdns: Rdns }[] = [
  { name: 'empty', rdns: [] },
  { name: 'CN only', rdns: [[{ oid: '2.5.4.3', key: 'CN', value: 'kubernetes', stringType: 'printable' }]] },
  {
    name: 'cfssl order C ST L O OU CN',
    rdns: [
      [{ oid: '2.5.4.6', key: 'C', value: 'US', stringType: 'printable' }],
      [{ oid: '2.5.4.8', key: 'ST', value: 'California', stringType: 'printable' }],
      [{ oid: '2.5.4.7', key: 'L', value: 'San Francisco', stringType: 'printable' }],
      [{ oid: '2.5.4.10', key: 'O', value: 'system:masters', stringType: 'utf8' }],
      [{ oid: '2.5.4.11', key: 'OU', value: 'Grüße', stringType: 'utf8' }],
      [{ oid: '2.5.4.3', key: 'CN', value: 'admin', stringType: 'printable' }],
    ],
  },
  { name: 'two organizations in one RDN each', rdns: [[{ oid: '2.5.4.10', value: 'a', stringType: 'printable' }], [{ oid: '2.5.4.10', value: 'b', stringType: 'printable' }]] },
  { name: 'a long value (long-form lengths)', rdns: [[{ oid: '2.5.4.3', key: 'CN', value: 'x'.repeat(300), stringType: 'utf8' }]] },
  { name: 'an unnamed attribute type', rdns: [[{ oid: '0.9.2342.19200300.100.1.1', value: 'uid-1', stringType: 'utf8' }]] },
];

for (const c of cases) {
  test(`encodeName: ${c.name}`, () => assert.equal(encodeName(c.rdns).toString('hex'), peculiarName(c.rdns).toString('hex')));
}
