import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatEndpoints } from './endpoints.ts';

test('endpoints column: first three, then + N more...', () => {
  const cases: Array<[string, unknown, string]> = [
    ['none', undefined, '<none>'],
    ['one', [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }], '10.0.0.1:80'],
    ['five', [{ addresses: [1, 2, 3, 4, 5].map((i) => ({ ip: `10.0.0.${i}` })), ports: [{ port: 80 }] }], '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...'],
    ['no ports', [{ addresses: [{ ip: '10.0.0.1' }] }], '10.0.0.1'],
  ];
  for (const [name, subsets, want] of cases) assert.equal(formatEndpoints({ metadata: {}, ...(subsets ? { subsets } : {}) }), want, name);
});
