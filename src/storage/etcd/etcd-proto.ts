// The few etcd v3 protobuf messages the driver sends over native gRPC (etcdserverpb,
// api/etcdserverpb/rpc.proto), encoded and decoded by hand: a create is one TxnRequest
// and its answer needs only `succeeded` and the header revision. Field numbers:
//   TxnRequest  { repeated Compare compare = 1; repeated RequestOp success = 2; }
//   Compare     { CompareResult result = 1; CompareTarget target = 2; bytes key = 3; int64 create_revision = 5 (oneof); }
//   RequestOp   { PutRequest request_put = 2 (oneof); }
//   PutRequest  { bytes key = 1; bytes value = 2; }
//   TxnResponse { ResponseHeader header = 1; bool succeeded = 2; … }
//   ResponseHeader { … int64 revision = 3; … }

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;
/** Compare.CompareTarget.CREATE; CompareResult.EQUAL is 0, the default, so it is not written. */
const TARGET_CREATE = 1;

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
