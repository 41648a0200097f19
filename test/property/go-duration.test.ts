// Go durations (src/pki/duration.ts): round trips through Go's Duration.String form, sums of
// generated terms, and "any text is a number or a PkiError".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { PkiError } from '../../src/pki/errors.ts';
import { formatGoDuration, parseGoDuration } from '../../src/pki/duration.ts';
import { RUNS } from './runs.ts';

const UNITS = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

test('formatGoDuration then parseGoDuration returns the same whole milliseconds', () => {
  fc.assert(fc.property(fc.integer({ min: -10 * 8760 * 3_600_000, max: 10 * 8760 * 3_600_000 }), (ms) => {
    const text = formatGoDuration(ms);
    assert.match(text, /^-?(\d+h)?(\d+m)?\d+(\.\d+)?(ms|s)$/);
    assert.equal(Math.round(parseGoDuration(text)), ms, text);
  }), { numRuns: RUNS });
});

test('a sum of integer terms parses to the sum of its parts', () => {
  const term = fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom(...(Object.keys(UNITS) as (keyof typeof UNITS)[])));
  fc.assert(fc.property(fc.constantFrom('', '-', '+'), fc.array(term, { minLength: 1, maxLength: 6 }), (sign, terms) => {
    const text = sign + terms.map(([n, u]) => `${n}${u}`).join('');
    const expected = (sign === '-' ? -1 : 1) * terms.reduce((sum, [n, u]) => sum + n * UNITS[u], 0);
    const got = parseGoDuration(text);
    assert.ok(Math.abs(got - expected) <= Math.abs(expected) * 1e-12 + 1e-9, `${text}: ${got} != ${expected}`);
  }), { numRuns: RUNS });
});

test('any text either parses to a finite number or throws PkiError(INVALID_DURATION) with Go\'s "time: " prefix', () => {
  const durationish = fc.stringMatching(/^[-+]?[0-9.]{0,6}(h|m|s|ms|us|µs|ns|d|x|)[0-9.]{0,4}(h|m|s|)$/);
  fc.assert(fc.property(fc.oneof(fc.string(), durationish), (text) => {
    try {
      assert.ok(Number.isFinite(parseGoDuration(text)), text);
    } catch (err) {
      assert.ok(err instanceof PkiError, `${JSON.stringify(text)}: ${String(err)}`);
      assert.equal(err.code, 'INVALID_DURATION');
      assert.match(err.message, /^time: (invalid duration|missing unit|unknown unit)/);
    }
  }), { numRuns: RUNS * 3 });
});
