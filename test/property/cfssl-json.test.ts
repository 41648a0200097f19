// cfssl's JSON inputs (src/pki/cfssl/{go-json,csr-request,signing-config}.ts): the Go-style
// JSON reader agrees with JSON.parse on valid text and with marshalGoJson's output, and any
// CSR request or signing config text is parsed or refused with JsonSyntaxError or PkiError.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseCfsslCsrRequest } from '../../src/pki/cfssl/csr-request.ts';
import { JsonSyntaxError, marshalGoJson, parseGoJson, type GoJsonValue } from '../../src/pki/cfssl/go-json.ts';
import { parseSigningConfig } from '../../src/pki/cfssl/signing-config.ts';
import { PkiError } from '../../src/pki/errors.ts';
import { RUNS } from './runs.ts';

const json = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.parse(JSON.stringify(v)) as GoJsonValue);

/** parseGoJson builds null-prototype objects; compare plain copies. */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

function typedOnly(what: string, fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof JsonSyntaxError || err instanceof PkiError, `${what}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    if (err instanceof JsonSyntaxError) assert.ok(err.line >= 1 && err.column >= 1 && err.offset >= 0);
  }
}

test('parseGoJson agrees with JSON.parse on valid JSON text', () => {
  fc.assert(fc.property(json, fc.constantFrom(0, 2), (v, indent) => {
    const text = JSON.stringify(v, null, indent);
    assert.deepEqual(plain(parseGoJson(text)), JSON.parse(text));
  }), { numRuns: RUNS });
});

test('marshalGoJson then parseGoJson is the identity on JSON values', () => {
  fc.assert(fc.property(json, fc.constantFrom('', '  '), (v, indent) => {
    assert.deepEqual(plain(parseGoJson(marshalGoJson(v, indent))), plain(v));
  }), { numRuns: RUNS });
});

test('parseGoJson: invalid text is a JsonSyntaxError with a position, never another error', () => {
  const broken = json.chain((v) => {
    const text = JSON.stringify(v);
    return fc.tuple(fc.nat({ max: Math.max(0, text.length) }), fc.constantFrom('', '{', '}', ',', '"', '\\', ':', 'x', '\u0000', '\uD800')).map(([at, ins]) => text.slice(0, at) + ins + text.slice(at + (ins === '' ? 1 : 0)));
  });
  fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 30 }), broken), (text) => {
    typedOnly(text, () => parseGoJson(text));
  }), { numRuns: RUNS * 2 });
});

const csrField = fc.record({
  CN: fc.oneof(fc.string({ maxLength: 8 }), json),
  hosts: fc.oneof(fc.array(fc.oneof(fc.constantFrom('127.0.0.1', 'a.example', '::1', 'x@y.z', 'spiffe://a/b'), fc.string({ maxLength: 6 })), { maxLength: 3 }), json),
  names: fc.oneof(fc.array(fc.record({ C: fc.string({ maxLength: 3 }), O: fc.oneof(fc.string({ maxLength: 3 }), json), OU: fc.string({ maxLength: 3 }) }, { requiredKeys: [] }), { maxLength: 2 }), json),
  key: fc.oneof(fc.record({ algo: fc.constantFrom('ecdsa', 'rsa', 'ed25519', ''), size: fc.oneof(fc.constantFrom(256, 384, 521, 2048, 0, -1), fc.double()) }, { requiredKeys: [] }), json),
  ca: fc.oneof(fc.record({ expiry: fc.constantFrom('1h', '8760h', '1d', ''), pathlen: fc.integer({ min: -2, max: 3 }), pathlenzero: fc.boolean() }, { requiredKeys: [] }), json),
  serialnumber: fc.oneof(fc.string({ maxLength: 4 }), json),
}, { requiredKeys: [] }).map((o) => JSON.stringify(o));

test('parseCfsslCsrRequest: any text is a request or JsonSyntaxError/PkiError', () => {
  fc.assert(fc.property(fc.oneof(csrField, json.map((v) => JSON.stringify(v)), fc.string({ maxLength: 30 })), (text) => {
    typedOnly(text, () => parseCfsslCsrRequest(text));
  }), { numRuns: RUNS * 2 });
});

const profile = fc.record({
  usages: fc.oneof(fc.array(fc.constantFrom('signing', 'key encipherment', 'server auth', 'client auth', 'cert sign', 'bogus'), { maxLength: 3 }), json),
  expiry: fc.oneof(fc.constantFrom('8760h', '1h30m', '0', '1d', '-1h', ''), json),
  backdate: fc.oneof(fc.constantFrom('5m', 'x'), json),
  ca_constraint: fc.oneof(fc.record({ is_ca: fc.boolean(), max_path_len: fc.integer({ min: -1, max: 3 }), max_path_len_zero: fc.boolean() }, { requiredKeys: [] }), json),
  is_ca: fc.oneof(fc.boolean(), json),
}, { requiredKeys: [] });
const signingConfig = fc.record({
  signing: fc.oneof(fc.record({ default: fc.oneof(profile, json), profiles: fc.oneof(fc.dictionary(fc.constantFrom('www', 'client', 'ca', ''), profile, { maxKeys: 3 }), json) }, { requiredKeys: [] }), json),
}, { requiredKeys: [] }).map((o) => JSON.stringify(o));

test('parseSigningConfig: any text is a config or JsonSyntaxError/PkiError', () => {
  fc.assert(fc.property(fc.oneof(signingConfig, json.map((v) => JSON.stringify(v)), fc.string({ maxLength: 30 })), (text) => {
    typedOnly(text, () => {
      const config = parseSigningConfig(text);
      assert.equal(typeof config.default, 'object');
    });
  }), { numRuns: RUNS * 2 });
});
