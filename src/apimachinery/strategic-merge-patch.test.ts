import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Schemas } from './schema.ts';
import { strategicMergePatch } from './strategic-merge-patch.ts';

const schemas: Schemas = {
  Svc: {
    type: 'object',
    properties: {
      metadata: { type: 'object', properties: { labels: { type: 'object', additionalProperties: { type: 'string' } }, finalizers: { type: 'array', items: { type: 'string' }, 'x-kubernetes-patch-strategy': 'merge' } } },
      spec: { $ref: '#/components/schemas/Spec' },
    },
  },
  Spec: {
    type: 'object',
    properties: {
      ports: { type: 'array', items: { $ref: '#/components/schemas/Port' }, 'x-kubernetes-patch-merge-key': 'port', 'x-kubernetes-patch-strategy': 'merge' },
      externalIPs: { type: 'array', items: { type: 'string' } },
    },
  },
  Port: { type: 'object', properties: { port: { type: 'integer' }, name: { type: 'string' }, protocol: { type: 'string' } } },
};

const root = { $ref: '#/components/schemas/Svc' };

test('strategic merge patch by schema', () => {
  const orig = {
    metadata: { labels: { a: '1', b: '2' }, finalizers: ['x'] },
    spec: { ports: [{ port: 80, name: 'http' }, { port: 443, name: 'https' }], externalIPs: ['1.1.1.1'] },
  };
  const cases: Array<[string, Record<string, unknown>, unknown]> = [
    ['maps merge, null deletes', { metadata: { labels: { a: null, c: '3' } } }, { ...orig, metadata: { labels: { b: '2', c: '3' }, finalizers: ['x'] } }],
    ['merge by key', { spec: { ports: [{ port: 80, protocol: 'TCP' }, { port: 8080 }] } }, { ...orig, spec: { ...orig.spec, ports: [{ port: 80, name: 'http', protocol: 'TCP' }, { port: 443, name: 'https' }, { port: 8080 }] } }],
    ['delete item by key', { spec: { ports: [{ port: 443, $patch: 'delete' }] } }, { ...orig, spec: { ...orig.spec, ports: [{ port: 80, name: 'http' }] } }],
    ['lists without strategy replace', { spec: { externalIPs: ['2.2.2.2'] } }, { ...orig, spec: { ...orig.spec, externalIPs: ['2.2.2.2'] } }],
    ['primitive merge list unions', { metadata: { finalizers: ['y', 'x'] } }, { ...orig, metadata: { ...orig.metadata, finalizers: ['x', 'y'] } }],
    ['delete from primitive list', { metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] } }, { ...orig, metadata: { ...orig.metadata, finalizers: [] } }],
    ['$patch replace on a map', { spec: { $patch: 'replace', externalIPs: ['3.3.3.3'] } }, { ...orig, spec: { externalIPs: ['3.3.3.3'] } }],
    ['setElementOrder reorders', { spec: { '$setElementOrder/ports': [{ port: 443 }, { port: 80 }] } }, { ...orig, spec: { ...orig.spec, ports: [{ port: 443, name: 'https' }, { port: 80, name: 'http' }] } }],
  ];
  for (const [name, patch, want] of cases) assert.deepEqual(strategicMergePatch(orig, patch, schemas, root), want, name);
});
