import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeTxnOutcome, encodeCreateTxn } from './etcd-proto.ts';

/** A protobuf varint, written independently of the module under test. */
function varint(n: bigint): number[] {
  const out: number[] = [];
  do {
    let b = Number(n & 0x7fn);
    n >>= 7n;
    if (n > 0n) b |= 0x80;
    out.push(b);
  } while (n > 0n);
  return out;
}

test('create txn: compare CREATE == 0 on the key, put key/value on success, no failure ops', () => {
  // TxnRequest{compare:[{target:CREATE, key:"k", create_revision:0}], success:[{request_put:{key:"k", value:"v"}}]}
  assert.equal(encodeCreateTxn(Buffer.from('k'), Buffer.from('v')).toString('hex'), '0a0710011a016b2800' + '1208' + '1206' + '0a016b' + '120176');
});

test('create txn: multi-byte lengths for long keys and values', () => {
  const key = Buffer.from(`/registry/${'k'.repeat(200)}`);
  const value = Buffer.alloc(70_000, 0x61);
  const buf = encodeCreateTxn(key, value);
  const compareLen = 2 + 1 + varint(BigInt(key.length)).length + key.length + 2;
  const putLen = 1 + varint(BigInt(key.length)).length + key.length + 1 + varint(BigInt(value.length)).length + value.length;
  const expected = Buffer.from([
    0x0a, ...varint(BigInt(compareLen)), 0x10, 0x01, 0x1a, ...varint(BigInt(key.length)), ...key, 0x28, 0x00,
    0x12, ...varint(BigInt(1 + varint(BigInt(putLen)).length + putLen)), 0x12, ...varint(BigInt(putLen)),
    0x0a, ...varint(BigInt(key.length)), ...key, 0x12, ...varint(BigInt(value.length)),
  ]);
  assert.ok(buf.subarray(0, expected.length).equals(expected));
  assert.ok(buf.subarray(expected.length).equals(value));
  assert.equal(buf.length, expected.length + value.length);
});

test('txn response: succeeded and header revision, other fields skipped', () => {
  // header{cluster_id:1, revision:300}, succeeded:true
  assert.deepEqual(decodeTxnOutcome(Buffer.from('0a05080118ac021001', 'hex')), { succeeded: true, revision: 300 });
  for (const revision of [0n, 1n, 2n ** 40n + 5n, BigInt(Number.MAX_SAFE_INTEGER)]) {
    const header = [0x08, ...varint(1234567890123n), 0x10, ...varint(99n), 0x18, ...varint(revision), 0x20, 0x07];
    // responses:[{response_put:{header:{revision}}}] after the fields we read
    const put = [0x0a, 1 + varint(revision).length, 0x18, ...varint(revision)];
    const op = [0x12, put.length, ...put];
    const buf = Buffer.from([0x0a, header.length, ...header, 0x1a, op.length, ...op]);
    assert.deepEqual(decodeTxnOutcome(buf), { succeeded: false, revision: Number(revision) });
  }
  assert.throws(() => decodeTxnOutcome(Buffer.from('0a05080118ac', 'hex')), /truncated/);
});
