import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeRangeResponse, decodeTxnOutcome, decodeTxnWithRange, deleteOp, encodeCreateTxn, encodeMessage, encodeModTxn, putOp, rangeRequest } from './etcd-proto.ts';

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

test('update/delete txn: compare MOD == revision, the op on success, a range of the key on failure', () => {
  const key = Buffer.from('k');
  // compare{target:MOD, key, mod_revision:300} success[request_put{key, value}] failure[request_range{key}]
  assert.equal(encodeModTxn(key, 300, putOp(key, Buffer.from('v'))).toString('hex'), '0a0810021a016b30ac02' + '1208' + '1206' + '0a016b120176' + '1a05' + '0a03' + '0a016b');
  // success[request_delete_range{key}]
  assert.equal(encodeModTxn(key, 1, deleteOp(key)).toString('hex'), '0a0710021a016b3001' + '1205' + '1a03' + '0a016b' + '1a05' + '0a03' + '0a016b');
});

test('range request: only the fields that are set', () => {
  assert.equal(encodeMessage(rangeRequest({ key: Buffer.from('a') })).toString('hex'), '0a0161');
  assert.equal(
    encodeMessage(rangeRequest({ key: Buffer.from('a'), rangeEnd: Buffer.from('b'), limit: 500, revision: 2 ** 40, countOnly: true })).toString('hex'),
    '0a0161' + '120162' + '18f403' + `20${Buffer.from(varint(2n ** 40n)).toString('hex')}` + '4801',
  );
});

test('range response: header revision, key/value as UTF-8, revisions, count', () => {
  // header{cluster_id:5, revision:77} kvs[{"/k/é", create 3, mod 9, version 2, {"a":1}}, {"/k/2", create 4, mod 4, version 1, empty}] more:true count:12
  const buf = Buffer.from('0a040805184d12160a052f6b2fc3a91003180920022a077b2261223a317d120e0a042f6b2f321004180420012a001801200c', 'hex');
  assert.deepEqual(decodeRangeResponse(buf), {
    revision: 77,
    kvs: [
      { key: '/k/é', value: '{"a":1}', create_revision: 3, mod_revision: 9 },
      { key: '/k/2', value: '', create_revision: 4, mod_revision: 4 },
    ],
    count: 12,
  });
  assert.deepEqual(decodeRangeResponse(Buffer.alloc(0)), { revision: 0, kvs: [], count: 0 });
});

test('txn response with the failure range: the current key, or none after a success', () => {
  // header{revision:80} succeeded:false responses[{response_range{header{revision:80} kvs[{"/k", 3, 70, "v"}] count:1}}]
  assert.deepEqual(decodeTxnWithRange(Buffer.from('0a02185010001a150a130a021850120b0a022f6b100318462a01762001', 'hex')), {
    succeeded: false,
    revision: 80,
    range: { revision: 80, kvs: [{ key: '/k', value: 'v', create_revision: 3, mod_revision: 70 }], count: 1 },
  });
  // header{revision:81} succeeded:true responses[{response_put{header{revision:81}}}]
  assert.deepEqual(decodeTxnWithRange(Buffer.from('0a021851' + '1001' + '1a06' + '1204' + '0a021851', 'hex')), { succeeded: true, revision: 81 });
});
