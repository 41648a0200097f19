// Label and field selectors (src/apimachinery/{label,field}-selector.ts): rendered
// requirements parse back to themselves, parsed selectors match like their definition,
// and any text is either requirements or a 400 StatusError.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { matchesFields, parseFieldSelector } from '../../src/apimachinery/field-selector.ts';
import { matchesRequirements, parseLabelSelector, type Requirement } from '../../src/apimachinery/label-selector.ts';
import { StatusError } from '../../src/apimachinery/status.ts';
import { RUNS } from './runs.ts';

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('');
const alnum = fc.constantFrom(...ALNUM);
const middle = fc.constantFrom(...ALNUM, '-', '_', '.');
/** A qualified-name segment: alphanumeric at both ends. */
const name = fc.tuple(alnum, fc.array(middle, { maxLength: 8 }), alnum).map(([a, m, b]) => a + m.join('') + b);
const prefix = fc.array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split('')), { minLength: 1, maxLength: 6 }).map((c) => c.join(''));
const key = fc.tuple(fc.option(prefix, { nil: undefined }), name).map(([p, n]) => (p ? `${p}.io/${n}` : n));
const value = fc.oneof(fc.constant(''), name);

const requirement: fc.Arbitrary<Requirement> = fc.oneof(
  fc.record({ key, op: fc.constant('exists' as const) }),
  fc.record({ key, op: fc.constant('!' as const) }),
  fc.record({ key, op: fc.constantFrom('in' as const, 'notin' as const), values: fc.array(name, { minLength: 1, maxLength: 4 }) }),
);

function render(r: Requirement, style: number): string {
  switch (r.op) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    default:
      if (r.values.length === 1 && style % 3 !== 0) return `${r.key}${r.op === 'in' ? (style % 3 === 1 ? '=' : '==') : '!='}${r.values[0]}`;
      return `${r.key} ${r.op} (${r.values.join(style % 2 ? ', ' : ',')})`;
  }
}

/** fast-check records have a null prototype; compare plain copies. */
function normalise(r: Requirement): Requirement {
  return 'values' in r ? { key: r.key, op: r.op, values: [...r.values] } : { key: r.key, op: r.op };
}

test('label selector: rendered requirements parse back to the same requirements', () => {
  fc.assert(fc.property(fc.array(fc.tuple(requirement, fc.nat(5)), { maxLength: 6 }), (items) => {
    const text = items.map(([r, s]) => render(r, s)).join(',');
    assert.deepEqual(parseLabelSelector(text), items.map(([r]) => normalise(r)), text);
  }), { numRuns: RUNS });
});

test('label selector: k=v matches exactly the label sets holding v under k; !k exactly those without k', () => {
  const labels = fc.dictionary(key, value, { maxKeys: 4 });
  fc.assert(fc.property(key, value, labels, (k, v, l) => {
    assert.equal(matchesRequirements(parseLabelSelector(`${k}=${v}`), l), Object.hasOwn(l, k) && l[k] === v);
    assert.equal(matchesRequirements(parseLabelSelector(`${k}!=${v}`), l), !(Object.hasOwn(l, k) && l[k] === v));
    assert.equal(matchesRequirements(parseLabelSelector(`!${k}`), l), !Object.hasOwn(l, k));
    assert.equal(matchesRequirements(parseLabelSelector(k), l), Object.hasOwn(l, k));
    assert.equal(matchesRequirements(parseLabelSelector(''), l), true);
  }), { numRuns: RUNS });
});

test('label selector: any text is requirements or a 400 BadRequest StatusError', () => {
  const selectorish = fc.array(fc.constantFrom('a', 'b/c', '=', '==', '!=', '!', ' in ', ' notin ', '(', ')', ',', ' ', 'x.io/', '-', '_', '.', '"', 'é', '\u0000'), { maxLength: 12 }).map((p) => p.join(''));
  fc.assert(fc.property(fc.oneof(fc.string(), selectorish), (text) => {
    try {
      const reqs = parseLabelSelector(text);
      assert.ok(Array.isArray(reqs));
      matchesRequirements(reqs, { a: 'b' });
    } catch (err) {
      assert.ok(err instanceof StatusError, `${JSON.stringify(text)}: ${String(err)}`);
      assert.equal(err.status.code, 400);
    }
  }), { numRuns: RUNS * 3 });
});

test('label selector: the object form and the text form agree', () => {
  fc.assert(fc.property(fc.dictionary(key, name, { maxKeys: 4 }), fc.dictionary(key, value, { maxKeys: 4 }), (matchLabels, l) => {
    const text = Object.entries(matchLabels).map(([k, v]) => `${k}=${v}`).join(',');
    assert.equal(matchesRequirements(parseLabelSelector(text), l), Object.entries(matchLabels).every(([k, v]) => l[k] === v));
  }), { numRuns: RUNS });
});

const field = fc.constantFrom('metadata.name', 'metadata.namespace', 'spec.nodeName', 'status.phase');
const fieldValue = fc.stringMatching(/^[a-z0-9.-]{0,12}$/);

test('field selector: rendered requirements parse back and match like their definition', () => {
  const req = fc.record({ field, op: fc.constantFrom('=' as const, '!=' as const), value: fieldValue });
  fc.assert(fc.property(fc.array(req, { maxLength: 4 }), fc.dictionary(field, fieldValue), (reqs, fields) => {
    const text = reqs.map((r) => `${r.field}${r.op}${r.value}`).join(',');
    const parsed = parseFieldSelector(text);
    assert.deepEqual(parsed, reqs.map((r) => ({ ...r })), text);
    assert.equal(matchesFields(parsed, fields), reqs.every((r) => ((fields[r.field] ?? '') === r.value) === (r.op === '=')));
  }), { numRuns: RUNS });
});

test('field selector: any text is requirements or a 400 BadRequest StatusError', () => {
  fc.assert(fc.property(fc.string(), (text) => {
    try {
      assert.ok(Array.isArray(parseFieldSelector(text)));
    } catch (err) {
      assert.ok(err instanceof StatusError, `${JSON.stringify(text)}: ${String(err)}`);
      assert.equal(err.status.code, 400);
    }
  }), { numRuns: RUNS * 3 });
});
