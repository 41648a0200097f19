// `kagg serve --workers 2`: two processes serve one port over one SQLite file. A watch held
// by one worker sees writes that the other served (connections alternate between workers),
// a killed worker is replaced while the API keeps answering, and SIGTERM stops them all.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { eventually } from '../support/extension.ts';
import { apiRequest, startTestApiServer, TEST_TOKENS, type TestApiServer } from '../support/apiserver.ts';

/** The primary's children running `kagg serve` (not, say, a bundler it started). */
function workerPids(primary: number): number[] {
  try {
    const children = readFileSync(`/proc/${primary}/task/${primary}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return children.filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('serve');
      } catch {
        return false;
      }
    });
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Opens a watch on its own connection; collects the names of ADDED objects. */
function watchNames(server: TestApiServer, path: string): { names: string[]; close(): void; opened: Promise<number> } {
  const names: string[] = [];
  let buffered = '';
  let close = () => {};
  const opened = new Promise<number>((resolve, reject) => {
    const req = request(new URL(`${path}?watch=1`, server.url), { ca: server.pki.ca.cert, agent: false, headers: { authorization: `Bearer ${TEST_TOKENS.admin}`, accept: 'application/json' } }, (res) => {
      resolve(res.statusCode ?? 0);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let nl;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          const ev = JSON.parse(line) as { type: string; object: { metadata: { name: string } } };
          if (ev.type === 'ADDED') names.push(ev.object.metadata.name);
        }
      });
      res.on('error', () => {});
    });
    req.on('error', reject);
    req.end();
    close = () => req.destroy();
  });
  return { names, opened, close: () => close() };
}

const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';

async function createConfigMap(server: TestApiServer, name: string): Promise<number> {
  // Connection: close puts every request on a new connection, which the primary hands to
  // the next worker in turn.
  const r = await apiRequest(server, CONFIGMAPS, { token: TEST_TOKENS.admin, headers: { connection: 'close' }, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: name } } });
  return r.status;
}

test('kagg serve --workers 2: shared SQLite, cross-worker watch, worker replaced, clean stop', { timeout: 120_000 }, async (t) => {
  const data = await mkdtemp(join(tmpdir(), 'kagg-workers-'));
  t.after(() => rm(data, { recursive: true, force: true }));
  const server = await startTestApiServer({ child: true, storage: `sqlite:${join(data, 'kagg.db')}`, args: ['--workers=2'] });
  t.after(() => server.close());
  const primary = server.pid ?? 0;
  assert.match(server.logs(), /serving securely on https:\/\/127\.0\.0\.1:\d+ \(2 workers, primary pid \d+\)/);
  const first = workerPids(primary);
  assert.equal(first.length, 2, `two workers under the primary, got ${first.join(',')}`);

  const watch = watchNames(server, CONFIGMAPS);
  t.after(() => watch.close());
  assert.equal(await watch.opened, 200);
  const names = Array.from({ length: 8 }, (_, i) => `cm-${i}`);
  for (const name of names) assert.equal(await createConfigMap(server, name), 201, name);
  // Eight creates on eight connections alternate between the workers: the watch (held by
  // one of them) receives the other's writes through the shared storage.
  await eventually(async () => names.every((n) => watch.names.includes(n)), 20_000);
  assert.deepEqual(watch.names.filter((n) => n.startsWith('cm-')), names);

  // Each worker counts the creates it served: two scrapes on consecutive connections reach
  // both workers, and their counts split the eight creates between them.
  const served: number[] = [];
  for (let i = 0; i < 2; i++) {
    const r = await apiRequest(server, '/metrics', { token: TEST_TOKENS.admin, headers: { connection: 'close', accept: 'text/plain' } });
    assert.equal(r.status, 200);
    const line = r.text.split('\n').find((l) => l.startsWith('apiserver_request_total{') && l.includes('verb="POST"') && l.includes('resource="configmaps"') && l.includes('code="201"'));
    served.push(line ? Number(line.split(' ').pop()) : 0);
  }
  assert.equal(served[0] + served[1], names.length, `creates per worker: ${served.join(' + ')}`);
  assert.ok(served[0] > 0 && served[1] > 0, `both workers served creates: ${served.join(' + ')}`);

  // Reads on fresh connections see every write, whichever worker answers.
  for (let i = 0; i < 4; i++) {
    const r = await apiRequest(server, CONFIGMAPS, { token: TEST_TOKENS.admin, headers: { connection: 'close' } });
    assert.equal(r.status, 200);
    const items = (r.json().items as Array<{ metadata: { name: string } }>).map((o) => o.metadata.name);
    for (const n of names) assert.ok(items.includes(n), `${n} listed (read ${i})`);
  }

  // A worker killed: once the primary has seen it go (a connection handed to a worker in
  // the instant it dies is lost with it, as with any crashed process), the other worker
  // answers every request, and the primary starts a replacement.
  process.kill(first[0], 'SIGKILL');
  await eventually(async () => /worker \d+ exited \(SIGKILL\); starting another/.test(server.logs()), 10_000);
  for (let i = 0; i < 6; i++) assert.equal(await createConfigMap(server, `after-kill-${i}`), 201, `create ${i} after the kill`);
  await eventually(async () => {
    const now = workerPids(primary);
    return now.length === 2 && !now.includes(first[0]);
  }, 30_000);
  await eventually(async () => (server.logs().match(/worker \d+ listening on/g) ?? []).length >= 3, 30_000);
  for (let i = 0; i < 4; i++) {
    const r = await apiRequest(server, '/readyz', { token: TEST_TOKENS.admin, headers: { connection: 'close' } });
    assert.equal(r.status, 200, `readyz ${i} after the replacement`);
  }

  // SIGTERM to the primary stops every worker.
  const workers = workerPids(primary);
  watch.close();
  await server.close();
  assert.equal(alive(primary), false, 'primary gone');
  for (const pid of workers) await eventually(async () => !alive(pid), 10_000);
});

test('kagg serve --workers 2 with memory storage is refused', async () => {
  await assert.rejects(startTestApiServer({ child: true, storage: 'memory', args: ['--workers=2'] }), /--workers 2 needs storage the workers share/);
});
