import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorText, invalid } from '../../apimachinery/status.ts';
import type { APIService } from './types.ts';
import { validateAPIService, validateAPIServiceStatus } from './validation.ts';

const base = (): APIService => ({
  metadata: { name: 'v1alpha1.wardle.example.com' },
  spec: { service: { namespace: 'wardle', name: 'api', port: 443 }, group: 'wardle.example.com', version: 'v1alpha1', groupPriorityMinimum: 2000, versionPriority: 200 },
});

const cases: Array<{ name: string; mutate: (s: APIService) => void; errors: string[] }> = [
  { name: 'valid remote', mutate: () => {}, errors: [] },
  { name: 'valid local core v1.', mutate: (s) => { s.metadata.name = 'v1.'; s.spec = { group: '', version: 'v1', groupPriorityMinimum: 18000, versionPriority: 1 }; }, errors: [] },
  { name: 'name mismatch', mutate: (s) => { s.metadata.name = 'v1.wardle.example.com'; }, errors: ['metadata.name: Invalid value: "v1.wardle.example.com": must be `spec.version+"."+spec.group`: "v1alpha1.wardle.example.com"'] },
  { name: 'name with slash', mutate: (s) => { s.metadata.name = 'a/b'; }, errors: ['metadata.name: Invalid value: "a/b": may not contain \'/\''] },
  { name: 'missing name', mutate: (s) => { s.metadata.name = ''; }, errors: ['metadata.name: Required value: name or generateName is required'] },
  { name: 'empty group not v1', mutate: (s) => { s.metadata.name = 'v2.'; s.spec.group = ''; s.spec.version = 'v2'; }, errors: ['spec.group: Required value: only v1 may have an empty group and it better be legacy kube'] },
  { name: 'bad version', mutate: (s) => { s.metadata.name = 'V1.wardle.example.com'; s.spec.version = 'V1'; }, errors: ["spec.version: Invalid value: \"V1\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"] },
  { name: 'priorities out of range', mutate: (s) => { s.spec.groupPriorityMinimum = 0; s.spec.versionPriority = 1001; }, errors: ['spec.groupPriorityMinimum: Invalid value: 0: must be positive and less than 20000', 'spec.versionPriority: Invalid value: 1001: must be positive and less than 1000'] },
  { name: '20000 accepted', mutate: (s) => { s.spec.groupPriorityMinimum = 20000; s.spec.versionPriority = 1000; }, errors: [] },
  { name: 'local with caBundle and insecure', mutate: (s) => { s.spec.service = undefined; s.spec.caBundle = Buffer.from('abcd').toString('base64'); s.spec.insecureSkipTLSVerify = true; }, errors: ['spec.caBundle: Invalid value: "4 bytes": local APIServices may not have a caBundle', 'spec.insecureSkipTLSVerify: Invalid value: true: local APIServices may not have insecureSkipTLSVerify'] },
  { name: 'service without namespace, name, bad port', mutate: (s) => { s.spec.service = { port: 70000 }; }, errors: ['spec.service.namespace: Required value', 'spec.service.name: Required value', 'spec.service.port: Invalid value: 70000: port is not valid: must be between 1 and 65535, inclusive'] },
  { name: 'insecure with caBundle', mutate: (s) => { s.spec.caBundle = Buffer.from('x').toString('base64'); s.spec.insecureSkipTLSVerify = true; }, errors: ['spec.insecureSkipTLSVerify: Invalid value: true: may not be true if caBundle is present'] },
];

for (const c of cases) {
  test(`validateAPIService: ${c.name}`, () => {
    const s = base();
    c.mutate(s);
    assert.deepEqual(validateAPIService(s).map(fieldErrorText), c.errors);
  });
}

test('422 message with several causes', () => {
  const s = base();
  s.spec.groupPriorityMinimum = -1;
  s.spec.versionPriority = 0;
  const err = invalid({ group: 'apiregistration.k8s.io', kind: 'APIService' }, 'v1alpha1.wardle.example.com', validateAPIService(s));
  assert.equal(err.code, 422);
  assert.match(err.message, /^APIService\.apiregistration\.k8s\.io "v1alpha1\.wardle\.example\.com" is invalid: \[spec\.groupPriorityMinimum: Invalid value: -1: .*, spec\.versionPriority: Invalid value: 0: .*\]$/);
  assert.equal(err.status.details?.causes?.[0].field, 'spec.groupPriorityMinimum');
});

test('status validation: only condition status values', () => {
  const s = base();
  s.status = { conditions: [{ type: 'Available', status: 'True' }, { type: 'Anything', status: 'Maybe' as 'True' }] };
  assert.deepEqual(validateAPIServiceStatus(s).map(fieldErrorText), ['status.conditions[1].status: Unsupported value: "Maybe": supported values: "True", "False", "Unknown"']);
});
