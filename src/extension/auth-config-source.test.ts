import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeClient, KubeResponse, KubeWatchEvent } from '../client/kube-client.ts';
import { createConfigMapSource, FORBIDDEN_HINT } from './auth-config-source.ts';

const cm = (rv: string, data: Record<string, string>) => ({ kind: 'ConfigMap', metadata: { name: 'extension-apiserver-authentication', namespace: 'kube-system', resourceVersion: rv }, data });

/** A core server stub: fixed GET answers, and one watch stream fed by `push`. */
function fakeClient(get: KubeResponse, list: KubeResponse) {
  let push: ((e: KubeWatchEvent) => void) | undefined;
  const watchPaths: string[] = [];
  const client: KubeClient = {
    server: 'https://core',
    close: () => {},
    async request(_method, path) {
      return path.includes('fieldSelector') ? list : get;
    },
    async get(path) {
      return path.includes('fieldSelector') ? list : get;
    },
    watch(path, onEvent, signal) {
      watchPaths.push(path);
      push = onEvent;
      return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    },
  };
  return { client, watchPaths, push: (e: KubeWatchEvent) => push?.(e) };
}

const json = (status: number, body: unknown): KubeResponse => ({ status, body: JSON.stringify(body) });
const tick = () => new Promise((r) => setTimeout(r, 10));

describe('createConfigMapSource', () => {
  it('reads at start, watches from that revision and applies changes; a malformed update keeps the previous values', async (t) => {
    const abort = new AbortController();
    t.after(() => abort.abort());
    const lines: string[] = [];
    const core = fakeClient(json(200, cm('7', { 'requestheader-allowed-names': '["a"]' })), json(200, { items: [], metadata: { resourceVersion: '7' } }));
    const source = createConfigMapSource({ client: core.client, log: (l) => lines.push(l) });
    const changes: string[][] = [];
    source.onChange((s) => changes.push([...s.requestHeader.allowedNames]));
    await source.start(abort.signal);
    assert.deepEqual(source.current().requestHeader.allowedNames, ['a']);
    await tick();
    assert.match(core.watchPaths[0], /resourceVersion=7/);
    assert.match(core.watchPaths[0], /fieldSelector=metadata.name%3Dextension-apiserver-authentication/);
    core.push({ type: 'MODIFIED', object: cm('8', { 'requestheader-allowed-names': '["b"]' }) });
    assert.deepEqual(source.current().requestHeader.allowedNames, ['b']);
    core.push({ type: 'MODIFIED', object: cm('9', { 'requestheader-allowed-names': 'b' }) });
    assert.deepEqual(source.current().requestHeader.allowedNames, ['b']);
    assert.ok(lines.some((l) => /not a JSON string array.*keeping the previous configuration/.test(l)));
    core.push({ type: 'DELETED', object: cm('10', {}) });
    assert.deepEqual(source.current().requestHeader.allowedNames, []);
    assert.deepEqual(changes, [['a'], ['b'], []]);
  });

  it('starts empty when the ConfigMap does not exist', async (t) => {
    const abort = new AbortController();
    t.after(() => abort.abort());
    const core = fakeClient(json(404, { kind: 'Status', code: 404 }), json(200, { items: [], metadata: { resourceVersion: '3' } }));
    const source = createConfigMapSource({ client: core.client });
    await source.start(abort.signal);
    assert.equal(source.current().requestHeader.pool.length, 0);
  });

  it('fails to start on Forbidden with upstream wording, unless the failure is tolerated', async (t) => {
    const abort = new AbortController();
    t.after(() => abort.abort());
    const forbidden = json(403, { kind: 'Status', code: 403, message: 'configmaps "extension-apiserver-authentication" is forbidden: User "bob" cannot get resource "configmaps" in API group "" in the namespace "kube-system"' });
    const lines: string[] = [];
    const strict = createConfigMapSource({ client: fakeClient(forbidden, forbidden).client, log: (l) => lines.push(l) });
    await assert.rejects(strict.start(abort.signal), /^Error: unable to load configmap based request-header-client-ca-file: configmaps "extension-apiserver-authentication" is forbidden: User "bob"/);
    assert.ok(lines.includes(FORBIDDEN_HINT));
    const tolerant = createConfigMapSource({ client: fakeClient(forbidden, forbidden).client, tolerateLookupFailure: true, log: () => {}, backoffMs: 5, maxBackoffMs: 5 });
    await tolerant.start(abort.signal);
    assert.equal(tolerant.current().requestHeader.usernameHeaders.length, 0);
  });
});
