import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatGoDuration, HOUR_MS, MINUTE_MS, parseGoDuration } from './duration.ts';

// Cases from the cfssl expiry-syntax observations plus Go's own parser rules.
const VALID = [
  { name: 'hours', input: '8760h', ms: 8760 * HOUR_MS },
  { name: 'hours and minutes', input: '1h30m', ms: 90 * MINUTE_MS },
  { name: 'Go String form', input: '43800h0m0s', ms: 43800 * HOUR_MS },
  { name: 'fraction', input: '1.5h', ms: 90 * MINUTE_MS },
  { name: 'minutes', input: '90m', ms: 90 * MINUTE_MS },
  { name: 'seconds', input: '3600s', ms: HOUR_MS },
  { name: 'negative', input: '-1h', ms: -HOUR_MS },
  { name: 'zero with unit', input: '0h', ms: 0 },
  { name: 'bare zero', input: '0', ms: 0 },
  { name: 'milliseconds', input: '250ms', ms: 250 },
  { name: 'micro sign', input: '1000µs', ms: 1 },
] as const;

for (const c of VALID) {
  test(`parseGoDuration: ${c.name} (${c.input})`, () => {
    assert.equal(parseGoDuration(c.input), c.ms);
  });
}

const INVALID = [
  { name: 'day unit', input: '1d', message: 'time: unknown unit "d" in duration "1d"' },
  { name: 'year unit', input: '10y', message: 'time: unknown unit "y" in duration "10y"' },
  { name: 'no unit', input: '8760', message: 'time: missing unit in duration "8760"' },
  { name: 'empty', input: '', message: 'time: invalid duration ""' },
  { name: 'unit only', input: 'h', message: 'time: invalid duration "h"' },
  { name: 'trailing number', input: '1h30', message: 'time: missing unit in duration "1h30"' },
] as const;

for (const c of INVALID) {
  test(`parseGoDuration rejects ${c.name} (${JSON.stringify(c.input)}) with Go's message`, () => {
    assert.throws(() => parseGoDuration(c.input), { name: 'PkiError', code: 'INVALID_DURATION', message: c.message });
  });
}

const FORMATS = [
  { ms: 87600 * HOUR_MS, text: '87600h0m0s' },
  { ms: 90 * MINUTE_MS, text: '1h30m0s' },
  { ms: 1500, text: '1.5s' },
  { ms: 0, text: '0s' },
  { ms: -HOUR_MS, text: '-1h0m0s' },
] as const;

for (const c of FORMATS) {
  test(`formatGoDuration(${c.ms}) is ${c.text} and parses back`, () => {
    assert.equal(formatGoDuration(c.ms), c.text);
    assert.equal(parseGoDuration(c.text), c.ms);
  });
}
