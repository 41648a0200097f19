import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convertV2ToV3 } from './v2-to-v3.ts';

test('Swagger 2 to OpenAPI 3: refs, body parameter, response content, query parameter schema', () => {
  const v3 = convertV2ToV3({
    swagger: '2.0',
    info: { title: 'wardle', version: 'v0' },
    consumes: ['application/json', 'application/yaml'],
    produces: ['application/json'],
    paths: {
      '/apis/g/v1/flunders': {
        parameters: [{ name: 'pretty', in: 'query', type: 'string', uniqueItems: true }],
        post: {
          operationId: 'create',
          parameters: [{ name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/Flunder' } }, { name: 'dryRun', in: 'query', type: 'string' }],
          responses: { 201: { description: 'Created', schema: { $ref: '#/definitions/Flunder' } }, 401: { description: 'Unauthorized' } },
        },
      },
    },
    definitions: { Flunder: { type: 'object', properties: { spec: { $ref: '#/definitions/Spec' } } }, Spec: { type: 'object' } },
  });
  assert.equal(v3.openapi, '3.0.0');
  const post = (v3.paths as Record<string, Record<string, Record<string, unknown>>>)['/apis/g/v1/flunders'].post;
  assert.deepEqual(post.requestBody, { content: { 'application/json': { schema: { $ref: '#/components/schemas/Flunder' } }, 'application/yaml': { schema: { $ref: '#/components/schemas/Flunder' } } }, required: true });
  assert.deepEqual(post.parameters, [{ name: 'dryRun', in: 'query', schema: { type: 'string' } }]);
  assert.deepEqual(post.responses, { 201: { description: 'Created', content: { 'application/json': { schema: { $ref: '#/components/schemas/Flunder' } } } }, 401: { description: 'Unauthorized' } });
  const pathParams = (v3.paths as Record<string, Record<string, unknown>>)['/apis/g/v1/flunders'].parameters;
  assert.deepEqual(pathParams, [{ name: 'pretty', in: 'query', schema: { type: 'string', uniqueItems: true } }]);
  assert.deepEqual((v3.components as Record<string, Record<string, unknown>>).schemas.Flunder, { type: 'object', properties: { spec: { $ref: '#/components/schemas/Spec' } } });
});
