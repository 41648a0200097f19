// The etcd v3 protobuf messages the driver sends over native gRPC (etcdserverpb,
// api/etcdserverpb/rpc.proto; mvccpb.KeyValue), encoded and decoded by hand: the driver
// needs a handful of fields from five messages, which is less code than a schema library
// and does no work for the fields it ignores. Field numbers used:
//   RangeRequest  { bytes key = 1; bytes range_end = 2; int64 limit = 3; int64 revision = 4; bool count_only = 9; }
//   RangeResponse { ResponseHeader header = 1; repeated KeyValue kvs = 2; int64 count = 4; }
//   KeyValue      { bytes key = 1; int64 create_revision = 2; int64 mod_revision = 3; bytes value = 5; }
//   TxnRequest    { repeated Compare compare = 1; repeated RequestOp success = 2; repeated RequestOp failure = 3; }
//   Compare       { CompareResult result = 1 (EQUAL = 0); CompareTarget target = 2 (CREATE = 1, MOD = 2);
//                   bytes key = 3; oneof { int64 create_revision = 5; int64 mod_revision = 6; } }
//   RequestOp     { oneof { RangeRequest request_range = 1; PutRequest request_put = 2; DeleteRangeRequest request_delete_range = 3; } }
//   PutRequest    { bytes key = 1; bytes value = 2; }   DeleteRangeRequest { bytes key = 1; }
//   TxnResponse   { ResponseHeader header = 1; bool succeeded = 2; repeated ResponseOp responses = 3; }
//   ResponseOp    { oneof { RangeResponse response_range = 1; … } }
//   ResponseHeader { … int64 revision = 3; … }

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;
/** Compare.CompareTarget.CREATE; CompareResult.EQUAL is 0, the default, so it is not written. */
const TARGET_CREATE = 1;
const TARGET_MOD = 2;

function varintLength(n: number): number {
  let len = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    len++;
  }
  return len;
}

function writeVarint(buf: Buffer, pos: number, n: number): number {
  while (n >= 0x80) {
    buf[pos++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  buf[pos++] = n;
  return pos;
}

/** Length of a length-delimited field (tag, length, payload) with a one-byte tag. */
const lenField = (payload: number): number => 1 + varintLength(payload) + payload;

/** TxnRequest: if create_revision(key) == 0 then put(key, value); no failure branch. */
export function encodeCreateTxn(key: Buffer, value: Buffer): Buffer {
  const compare = 2 /* target */ + lenField(key.length) + 2; /* create_revision = 0 */
  const put = lenField(key.length) + lenField(value.length);
  const op = lenField(put);
  const buf = Buffer.allocUnsafe(lenField(compare) + lenField(op));
  let pos = 0;
  buf[pos++] = (1 << 3) | WIRE_LEN; // TxnRequest.compare
  pos = writeVarint(buf, pos, compare);
  buf[pos++] = (2 << 3) | WIRE_VARINT; // Compare.target
  buf[pos++] = TARGET_CREATE;
  buf[pos++] = (3 << 3) | WIRE_LEN; // Compare.key
  pos = writeVarint(buf, pos, key.length);
  pos += key.copy(buf, pos);
  buf[pos++] = (5 << 3) | WIRE_VARINT; // Compare.create_revision (sets the oneof)
  buf[pos++] = 0;
  buf[pos++] = (2 << 3) | WIRE_LEN; // TxnRequest.success
  pos = writeVarint(buf, pos, op);
  buf[pos++] = (2 << 3) | WIRE_LEN; // RequestOp.request_put
  pos = writeVarint(buf, pos, put);
  buf[pos++] = (1 << 3) | WIRE_LEN; // PutRequest.key
  pos = writeVarint(buf, pos, key.length);
  pos += key.copy(buf, pos);
  buf[pos++] = (2 << 3) | WIRE_LEN; // PutRequest.value
  pos = writeVarint(buf, pos, value.length);
  value.copy(buf, pos);
  return buf;
}

/** A message as [field number, value] pairs, written in order; a nested array is a sub-message. */
export type ProtoField = readonly [number, number | boolean | Buffer | readonly ProtoField[]];

function messageSize(fields: readonly ProtoField[]): number {
  let size = 0;
  for (const [no, v] of fields) {
    size += varintLength(no * 8);
    if (typeof v === 'number') size += varintLength(v);
    else if (typeof v === 'boolean') size += 1;
    else {
      const len = Buffer.isBuffer(v) ? v.length : messageSize(v);
      size += varintLength(len) + len;
    }
  }
  return size;
}

function writeMessage(buf: Buffer, pos: number, fields: readonly ProtoField[]): number {
  for (const [no, v] of fields) {
    if (typeof v === 'number' || typeof v === 'boolean') {
      pos = writeVarint(buf, pos, no * 8 + WIRE_VARINT);
      pos = writeVarint(buf, pos, typeof v === 'number' ? v : v ? 1 : 0);
    } else if (Buffer.isBuffer(v)) {
      pos = writeVarint(buf, pos, no * 8 + WIRE_LEN);
      pos = writeVarint(buf, pos, v.length);
      pos += v.copy(buf, pos);
    } else {
      pos = writeVarint(buf, pos, no * 8 + WIRE_LEN);
      pos = writeVarint(buf, pos, messageSize(v));
      pos = writeMessage(buf, pos, v);
    }
  }
  return pos;
}

/** Encodes non-negative integers, booleans, bytes and sub-messages (all the driver sends). */
export function encodeMessage(fields: readonly ProtoField[]): Buffer {
  const buf = Buffer.allocUnsafe(messageSize(fields));
  writeMessage(buf, 0, fields);
  return buf;
}

export interface RangeSpec {
  key: Buffer;
  rangeEnd?: Buffer;
  limit?: number;
  revision?: number;
  countOnly?: boolean;
}

export function rangeRequest(spec: RangeSpec): ProtoField[] {
  const fields: ProtoField[] = [[1, spec.key]];
  if (spec.rangeEnd) fields.push([2, spec.rangeEnd]);
  if (spec.limit) fields.push([3, spec.limit]);
  if (spec.revision) fields.push([4, spec.revision]);
  if (spec.countOnly) fields.push([9, true]);
  return fields;
}

/** RequestOp payloads for `encodeModTxn`. */
export const putOp = (key: Buffer, value: Buffer): ProtoField => [2, [[1, key], [2, value]]];
export const deleteOp = (key: Buffer): ProtoField => [3, [[1, key]]];

/** TxnRequest: if mod_revision(key) == modRevision then `op`, else range(key) — k8s' update and delete. */
export function encodeModTxn(key: Buffer, modRevision: number, op: ProtoField): Buffer {
  return encodeMessage([
    [1, [[2, TARGET_MOD], [3, key], [6, modRevision]]],
    [2, [op]],
    [3, [[1, [[1, key]]]]],
  ]);
}

/** Reads a protobuf message's fields in order; `onField` gets the varint value or the LEN payload. */
function readFields(buf: Buffer, onField: (field: number, value: number | Buffer) => void): void {
  let pos = 0;
  const varint = (): number => {
    let n = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= buf.length) throw new Error('etcd: truncated protobuf varint');
      const b = buf[pos++];
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 0x80;
    }
    throw new Error('etcd: malformed protobuf varint');
  };
  while (pos < buf.length) {
    const tag = varint();
    const field = Math.floor(tag / 8);
    switch (tag & 7) {
      case WIRE_VARINT:
        onField(field, varint());
        break;
      case WIRE_LEN: {
        const len = varint();
        if (pos + len > buf.length) throw new Error('etcd: truncated protobuf field');
        onField(field, buf.subarray(pos, pos + len));
        pos += len;
        break;
      }
      case WIRE_I64:
        pos += 8;
        break;
      case WIRE_I32:
        pos += 4;
        break;
      default:
        throw new Error(`etcd: unexpected protobuf wire type ${tag & 7}`);
    }
  }
}

export interface TxnOutcome {
  succeeded: boolean;
  revision: number;
}

/** TxnResponse → succeeded and header.revision (the responses are not needed for a create). */
export function decodeTxnOutcome(buf: Buffer): TxnOutcome {
  let succeeded = false;
  let revision = 0;
  readFields(buf, (field, value) => {
    if (field === 2 && typeof value === 'number') succeeded = value !== 0;
    if (field === 1 && Buffer.isBuffer(value)) {
      readFields(value, (f, v) => {
        if (f === 3 && typeof v === 'number') revision = v;
      });
    }
  });
  return { succeeded, revision };
}

export interface ProtoKv {
  key: string;
  value: string;
  create_revision: number;
  mod_revision: number;
}

export interface RangeOutcome {
  revision: number;
  kvs: ProtoKv[];
  count: number;
}

const headerRevision = (buf: Buffer): number => {
  let revision = 0;
  readFields(buf, (f, v) => {
    if (f === 3 && typeof v === 'number') revision = v;
  });
  return revision;
};

function decodeKeyValue(buf: Buffer): ProtoKv {
  const kv: ProtoKv = { key: '', value: '', create_revision: 0, mod_revision: 0 };
  readFields(buf, (f, v) => {
    if (Buffer.isBuffer(v)) {
      if (f === 1) kv.key = v.toString('utf8');
      else if (f === 5) kv.value = v.toString('utf8');
    } else if (f === 2) kv.create_revision = v;
    else if (f === 3) kv.mod_revision = v;
  });
  return kv;
}

export function decodeRangeResponse(buf: Buffer): RangeOutcome {
  const out: RangeOutcome = { revision: 0, kvs: [], count: 0 };
  readFields(buf, (f, v) => {
    if (Buffer.isBuffer(v)) {
      if (f === 1) out.revision = headerRevision(v);
      else if (f === 2) out.kvs.push(decodeKeyValue(v));
    } else if (f === 4) out.count = v;
  });
  return out;
}

export interface TxnRangeOutcome extends TxnOutcome {
  /** The first response_range among the responses (the failure branch's read), if any. */
  range?: RangeOutcome;
}

/** TxnResponse with the failure branch's range decoded. */
export function decodeTxnWithRange(buf: Buffer): TxnRangeOutcome {
  const out: TxnRangeOutcome = decodeTxnOutcome(buf);
  readFields(buf, (f, v) => {
    if (f !== 3 || !Buffer.isBuffer(v) || out.range) return;
    readFields(v, (rf, rv) => {
      if (rf === 1 && Buffer.isBuffer(rv)) out.range = decodeRangeResponse(rv);
    });
  });
  return out;
}
