import { test } from 'node:test';
import assert from 'node:assert/strict';
import { negotiateOutput } from './negotiate.ts';
import { isStatusError } from '../../apimachinery/status.ts';

const q = new URLSearchParams();

test('Accept decides between object, Table and metadata', () => {
  const cases: Array<[string, string | undefined, string]> = [
    ['no accept', undefined, 'object'],
    ['json', 'application/json', 'object'],
    ['kubectl table', 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json', 'table meta.k8s.io/v1'],
    ['protobuf first', 'application/vnd.kubernetes.protobuf,application/json', 'object'],
    ['unknown table version falls through', 'application/json;as=Table;v=v9;g=meta.k8s.io,application/json', 'object'],
    ['metadata list', 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io', 'metadata'],
    ['any', '*/*', 'object'],
  ];
  for (const [name, accept, want] of cases) {
    const o = negotiateOutput(accept, q);
    assert.equal(o.form === 'table' ? `table ${o.apiVersion}` : o.form, want, name);
  }
  assert.throws(() => negotiateOutput('application/yaml', q), (e) => isStatusError(e) && e.code === 406);
  assert.throws(() => negotiateOutput('application/json;as=Table;v=v1;g=meta.k8s.io', new URLSearchParams('includeObject=Bogus')), (e) => isStatusError(e) && e.code === 400);
});
