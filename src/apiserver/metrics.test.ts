import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApiMetrics, metricVerb } from './metrics.ts';
import { parseRequestInfo } from './request/request-info.ts';

test('metrics: counts and latency by verb, resource and code', async () => {
  const m = createApiMetrics({ defaultMetrics: false });
  const list = parseRequestInfo('GET', '/api/v1/namespaces/default/configmaps', new URLSearchParams());
  m.observe(list, 'GET', 200, 0.01);
  m.observe(list, 'GET', 200, 0.02);
  m.observe(parseRequestInfo('GET', '/healthz', new URLSearchParams()), 'GET', 403, 0.001);
  const text = await m.registry.metrics();
  assert.match(text, /apiserver_request_total\{verb="LIST",dry_run="",group="",version="v1",resource="configmaps",subresource="",scope="namespace",component="apiserver",code="200"\} 2/);
  assert.match(text, /apiserver_request_total\{verb="GET",.*resource="",.*code="403"\} 1/);
  assert.match(text, /apiserver_request_duration_seconds_count\{verb="LIST",.*resource="configmaps".*\} 2/);
});

test('metricVerb', () => {
  const q = new URLSearchParams();
  assert.equal(metricVerb(parseRequestInfo('GET', '/api/v1/pods', new URLSearchParams('watch=1')), 'GET'), 'WATCH');
  assert.equal(metricVerb(parseRequestInfo('POST', '/api/v1/namespaces/a/pods', q), 'POST'), 'POST');
  assert.equal(metricVerb(parseRequestInfo('DELETE', '/api/v1/namespaces/a/pods', q), 'DELETE'), 'DELETE');
  assert.equal(metricVerb(parseRequestInfo('PUT', '/version', q), 'PUT'), 'PUT');
});
