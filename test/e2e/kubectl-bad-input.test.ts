// Bad input through the real kubectl: a malformed body, a kind that does not fit the URL
// and an unknown field under Strict each come back as a Status with the right code and
// message, and the server keeps serving (issue 5, "Bad input").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toolOptions } from '../support/tools.ts';
import { createKubectl } from '../support/kubectl.ts';
import { startTestServer } from '../../src/apiserver/registry/testing/test-server.ts';

test('kubectl: bad bodies are Status errors and the server keeps serving', toolOptions('kubectl'), async (t) => {
  const s = await startTestServer();
  const k = await createKubectl(s.url);
  t.after(async () => {
    await s.close();
    await k.cleanup();
  });
  const cms = '/api/v1/namespaces/default/configmaps';
  const cases: Array<[string, string, string, RegExp]> = [
    ['malformed json', cms, '{"apiVersion": "v1", "kind": ', /Error from server \(BadRequest\): couldn't get version\/kind; json parse error/],
    ['wrong kind for the URL', cms, JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }), /Error from server \(BadRequest\): Secret in version "v1" cannot be handled as a ConfigMap/],
    ['wrong group for the URL', cms, JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ConfigMap', metadata: { name: 'x' } }), /Error from server \(BadRequest\): the API version in the data \(rbac.authorization.k8s.io\/v1\) does not match the expected API version \(v1\)/],
    ['unknown field under Strict', `${cms}?fieldValidation=Strict`, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, spec: { a: 1 } }), /Error from server \(BadRequest\): ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "spec"/],
    ['invalid object', cms, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' } }), /The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/],
  ];
  for (const [name, path, body, want] of cases) {
    const file = await k.file(`${name.replace(/\W+/g, '-')}.json`, body);
    const got = await k.run(['create', '--raw', path, '-f', file]);
    assert.equal(got.code, 1, name);
    assert.match(got.stderr, want, name);
    const alive = await k.run(['get', '--raw', '/api/v1/namespaces/default/configmaps']);
    assert.equal(alive.code, 0, `${name}: still serving`);
  }
  const strictFile = await k.file('strict.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: strict\nfoo: bar\n');
  const strict = await k.run(['create', '-f', strictFile]);
  assert.equal(strict.code, 1);
  assert.match(strict.stderr, /Error from server \(BadRequest\): error when creating ".*strict.yaml": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "foo"/);
  const ok = await k.run(['get', 'cm', '-o', 'name']);
  assert.equal(ok.code, 0);
  assert.equal(ok.stdout.trim(), '');
});
