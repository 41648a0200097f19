import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { HOUR_MS } from '../duration.ts';
import { CFSSL_DEFAULT_PROFILE, parseSigningConfig, selectProfile } from './signing-config.ts';

const seed = readFileSync(new URL('../../../test/fixtures/pki/cfssl-golden/inputs/aggregator-ca-config.json', import.meta.url), 'utf8');

test('the seed config: default with expiry only, profile aggregator with four usages', () => {
  const config = parseSigningConfig(seed);
  assert.deepEqual(config.default.usages, []);
  assert.equal(config.default.expiryMs, 87600 * HOUR_MS);
  assert.deepEqual(selectProfile(config, 'aggregator').usages, ['signing', 'key encipherment', 'server auth', 'client auth']);
  assert.equal(selectProfile(config, undefined), config.default);
});

test('an unknown profile is refused with the known names (cfssl falls back to default)', () => {
  assert.throws(() => selectProfile(parseSigningConfig(seed), 'nosuch'), { code: 'UNKNOWN_PROFILE', message: 'unknown signing profile "nosuch" (profiles: aggregator)' });
});

test('a config without default gets the built-in default; expiry 0 takes the default one', () => {
  const config = parseSigningConfig('{"signing":{"profiles":{"p":{"usages":["signing"],"expiry":"0h"}}}}');
  assert.equal(config.default, CFSSL_DEFAULT_PROFILE);
  assert.equal(selectProfile(config, 'p').expiryMs, 8760 * HOUR_MS);
});

test('backdate, not_before/not_after and ca_constraint are read', () => {
  const p = selectProfile(parseSigningConfig('{"signing":{"profiles":{"i":{"usages":["cert sign"],"expiry":"1h","backdate":"30m","not_before":"2030-01-01T00:00:00Z","ca_constraint":{"is_ca":true,"max_path_len":1}}}}}'), 'i');
  assert.equal(p.backdateMs, 30 * 60_000);
  assert.equal(p.notBefore?.toISOString(), '2030-01-01T00:00:00.000Z');
  assert.deepEqual(p.caConstraint, { isCA: true, maxPathLen: 1, maxPathLenZero: false });
});

// The load-time checks of spec B.4, with the reason each one names.
const INVALID = [
  ['profile without expiry', '{"signing":{"profiles":{"p":{"usages":["signing"]}}}}', 'empty expiry string in signing.profiles.p'],
  ['default without expiry', '{"signing":{"default":{"usages":["signing"]}}}', 'empty expiry string in signing.default'],
  ['day unit', '{"signing":{"profiles":{"p":{"usages":["signing"],"expiry":"1d"}}}}', 'signing.profiles.p.expiry: time: unknown unit "d" in duration "1d"'],
  ['no unit', '{"signing":{"profiles":{"p":{"usages":["signing"],"expiry":"8760"}}}}', 'signing.profiles.p.expiry: time: missing unit in duration "8760"'],
  ['only unknown usages', '{"signing":{"profiles":{"p":{"usages":["bogus"],"expiry":"1h"}}}}', 'invalid configuration: signing.profiles.p has only unknown usages ("bogus")'],
  ['no usages', '{"signing":{"profiles":{"p":{"expiry":"1h"}}}}', 'invalid configuration: signing.profiles.p lists no usages'],
  ['no signing section', '{}', 'invalid configuration: no "signing" section'],
  ['usages not strings', '{"signing":{"profiles":{"p":{"usages":[1],"expiry":"1h"}}}}', 'field "signing.profiles.p.usages": expected an array of strings'],
] as const;

for (const [name, text, message] of INVALID) {
  test(`parseSigningConfig rejects: ${name}`, () => {
    assert.throws(() => parseSigningConfig(text), { name: 'PkiError', code: 'INVALID_CONFIG', message });
  });
}
