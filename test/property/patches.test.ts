// JSON merge patch, JSON patch and strategic merge patch (src/apimachinery/*patch.ts):
// RFC 7386 laws, RFC 6902 add/remove inverses, inputs never mutated, and any patch is a
// result or a StatusError.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isPlainObject, jsonMergePatch } from '../../src/apimachinery/json-merge-patch.ts';
import { jsonPatch } from '../../src/apimachinery/json-patch.ts';
import { StatusError } from '../../src/apimachinery/status.ts';
import { strategicMergePatch } from '../../src/apimachinery/strategic-merge-patch.ts';
import { RUNS } from './runs.ts';

/** JSON values as they come out of JSON.parse (plain prototypes, no -0). */
const json = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const jsonObject = fc.dictionary(fc.string({ maxLength: 6 }), json, { maxKeys: 5 }).map((v) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>);
/** Merge patches: objects whose leaves may be null (delete). */
const mergePatch = fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.constant(null), json), { maxKeys: 5 }).map((v) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>);

function noNulls(v: unknown): boolean {
  if (v === null) return false;
  if (Array.isArray(v)) return true; // arrays are replaced whole, nulls inside them stay
  if (isPlainObject(v)) return Object.values(v).every(noNulls);
  return true;
}

test('merge patch: idempotent, adds no null member, does not mutate its inputs', () => {
  fc.assert(fc.property(json, mergePatch, (target, patch) => {
    const t0 = structuredClone(target);
    const p0 = structuredClone(patch);
    const once = jsonMergePatch(target, patch);
    assert.deepEqual(jsonMergePatch(once, patch), once);
    if (noNulls(target)) assert.ok(noNulls(once), JSON.stringify(once));
    assert.deepEqual(target, t0);
    assert.deepEqual(patch, p0);
  }), { numRuns: RUNS });
});

test('merge patch: a non-object patch replaces the target; every patched key holds the patch value', () => {
  fc.assert(fc.property(json, json, (target, patch) => {
    const out = jsonMergePatch(target, patch);
    if (!isPlainObject(patch)) {
      assert.deepEqual(out, patch);
      return;
    }
    assert.ok(isPlainObject(out));
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) assert.ok(!Object.hasOwn(out, k), k);
      else if (!isPlainObject(v)) assert.deepEqual(out[k], v, k);
    }
  }), { numRuns: RUNS });
});

test('merge patch: patching with the target itself is a no-op for null-free objects', () => {
  fc.assert(fc.property(jsonObject.filter(noNulls), (target) => {
    assert.deepEqual(jsonMergePatch(target, target), target);
  }), { numRuns: RUNS });
});

test('json patch: the empty patch is the identity; add then remove restores the document', () => {
  fc.assert(fc.property(jsonObject, fc.string({ maxLength: 6 }), json, (doc, key, value) => {
    fc.pre(!Object.hasOwn(doc, key));
    assert.deepEqual(jsonPatch(doc, []), doc);
    const path = `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    const added = jsonPatch(doc, [{ op: 'add', path, value }]) as Record<string, unknown>;
    assert.deepEqual(added[key], value);
    assert.deepEqual(jsonPatch(added, [{ op: 'remove', path }]), doc);
    assert.equal(Object.hasOwn(doc, key), false, 'input mutated');
  }), { numRuns: RUNS });
});

test('json patch: test succeeds on the document\'s own values and fails with a StatusError otherwise', () => {
  fc.assert(fc.property(jsonObject, json, (doc, other) => {
    for (const [k, v] of Object.entries(doc)) {
      const path = `/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      assert.deepEqual(jsonPatch(doc, [{ op: 'test', path, value: v }]), doc);
      if (JSON.stringify(v) !== JSON.stringify(other)) {
        assert.throws(() => jsonPatch(doc, [{ op: 'test', path, value: other }]), StatusError);
      }
    }
  }), { numRuns: RUNS });
});

test('json patch: any operation list is a document or a StatusError, the input untouched', () => {
  const op = fc.record({
    op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus'),
    path: fc.oneof(fc.constantFrom('', '/', '/a', '/a/0', '/a/-', '/b/c', '/~2', '/a/99'), fc.string({ maxLength: 8 })),
    from: fc.constantFrom('/a', '/b', '/nope', ''),
    value: json,
  }, { requiredKeys: ['op'] }).map((o) => JSON.parse(JSON.stringify(o)) as unknown);
  fc.assert(fc.property(jsonObject, fc.oneof(fc.array(op, { maxLength: 4 }), json), (doc, ops) => {
    const before = structuredClone(doc);
    try {
      jsonPatch(doc, ops);
    } catch (err) {
      assert.ok(err instanceof StatusError, `${JSON.stringify(ops)}: ${String(err)}`);
      assert.ok(err.status.code === 400 || err.status.code === 422 || err.status.code === 500, String(err.status.code));
    }
    assert.deepEqual(doc, before);
  }), { numRuns: RUNS });
});

test('strategic merge patch without a schema: equals the JSON merge patch for directive-free patches', () => {
  const plainPatch = mergePatch.filter((p) => !JSON.stringify(p).includes('"$'));
  fc.assert(fc.property(jsonObject, plainPatch, (original, patch) => {
    const before = structuredClone(original);
    assert.deepEqual(strategicMergePatch(original, patch, {}, undefined), jsonMergePatch(original, patch));
    assert.deepEqual(original, before);
  }), { numRuns: RUNS });
});

test('strategic merge patch: idempotent; any directive is a result or a 400 StatusError', () => {
  const directive = fc.record({
    $patch: fc.constantFrom('merge', 'replace', 'delete', 'bogus'),
    $retainKeys: fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }),
    '$deleteFromPrimitiveList/a': fc.array(json, { maxLength: 3 }),
    '$setElementOrder/a': fc.array(json, { maxLength: 3 }),
  }, { requiredKeys: [] }).map((o) => JSON.parse(JSON.stringify(o)) as Record<string, unknown>);
  fc.assert(fc.property(jsonObject, mergePatch, directive, (original, patch, d) => {
    const p = { ...patch, ...d };
    try {
      const once = strategicMergePatch(original, p, {}, undefined);
      if (d.$patch !== 'delete' && d.$patch !== 'replace') assert.deepEqual(strategicMergePatch(once, p, {}, undefined), once);
    } catch (err) {
      assert.ok(err instanceof StatusError, `${JSON.stringify(p)}: ${String(err)}`);
      assert.equal(err.status.code, 400);
    }
  }), { numRuns: RUNS });
});
