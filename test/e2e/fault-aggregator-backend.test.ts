// The extension server behind kagg's aggregator SIGKILLed mid-request and mid-watch: the
// in-flight requests end with a 503 Status (or their answer), the watch ends cleanly, the
// APIService turns unavailable with a reason, and kagg's file descriptors return to their
// baseline; the backend restarted on the same port and certificate: Available again and
// requests succeed.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { wardleRegistration, wardleServerName } from '../../examples/wardle/registration.ts';
import { apiRequest, startTestApiServer, type TestApiServer } from '../support/apiserver.ts';
import { freePort } from '../support/etcd.ts';
import { defaultAuthConfigMap, eventually, publishAuthConfigMap, startTestWardle, type TestWardle } from '../support/extension.ts';
import { makeCA, makeLeaf } from './aggregator-fixture.ts';
import { writeFile } from 'node:fs/promises';

const FLUNDERS = '/apis/wardle.example.com/v1alpha1/namespaces/default/flunders';
const APISERVICE = '/apis/apiregistration.k8s.io/v1/apiservices/v1alpha1.wardle.example.com';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const fdCount = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;
const rssKiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

function openWatch(core: TestApiServer, path: string) {
  const events: Array<{ type: string; object: { metadata?: { name?: string }; code?: number } }> = [];
  let ended: 'end' | 'close' | 'error' | undefined;
  const done = new Promise<void>((resolve) => {
    const req = request(new URL(`${path}?watch=1`, core.url), { ca: core.pki.ca.cert, cert: core.pki.admin.cert, key: core.pki.admin.key, agent: false, headers: { accept: 'application/json' } }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) events.push(JSON.parse(line) as (typeof events)[number]);
        }
      });
      res.on('end', () => resolve(void (ended ??= 'end')));
      res.on('close', () => resolve(void (ended ??= 'close')));
      res.on('error', () => resolve(void (ended ??= 'error')));
    });
    req.on('error', () => resolve(void (ended ??= 'error')));
    req.end();
  });
  return {
    events,
    done,
    get ended() {
      return ended;
    },
  };
}

test('backend killed mid-request and mid-watch through the aggregator, then restarted', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'kagg-fault-backend-'));
  const cleanups: Array<() => Promise<unknown>> = [];
  t.after(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });
  const proxyCA = await makeCA('front-proxy-ca');
  const proxyClient = await makeLeaf(proxyCA, 'front-proxy-client', 'client');
  await writeFile(join(dir, 'proxy-ca.crt'), proxyCA.pem);
  await writeFile(join(dir, 'proxy.crt'), proxyClient.cert);
  await writeFile(join(dir, 'proxy.key'), proxyClient.key, { mode: 0o600 });
  const core = await startTestApiServer({ child: true, args: [`--requestheader-client-ca-file=${join(dir, 'proxy-ca.crt')}`, `--proxy-client-cert-file=${join(dir, 'proxy.crt')}`, `--proxy-client-key-file=${join(dir, 'proxy.key')}`, '--enable-aggregator-routing=true'] });
  cleanups.push(() => core.close());
  await publishAuthConfigMap(core, { ...defaultAuthConfigMap(core), requestHeaderCA: proxyCA.pem });
  const port = await freePort();
  const wardleArgs = [`--secure-port=${port}`, `--cert-dir=${join(dir, 'wardle-certs')}`, `--cert-hosts=${wardleServerName()}`];
  let wardle: TestWardle = await startTestWardle({ core, child: true, args: wardleArgs });
  cleanups.push(() => wardle.close());
  const admin = { cert: core.pki.admin };
  for (const [path, body] of wardleRegistration({ port: wardle.port, caBundle: wardle.caBundle }).ordered()) {
    const r = await apiRequest(core, path, { ...admin, body });
    assert.equal(r.status, 201, `${path}: ${r.text}`);
  }
  await eventually(async () => (await apiRequest(core, FLUNDERS, admin)).status === 200, 30_000);
  // Warm up the proxy path, then take the baseline.
  for (let i = 0; i < 20; i++) assert.equal((await apiRequest(core, FLUNDERS, admin)).status, 200);
  await sleep(500);
  const corePid = core.pid!;
  const baseFds = fdCount(corePid);
  const baseRss = rssKiB(corePid);

  const watch = openWatch(core, FLUNDERS);
  assert.equal((await apiRequest(core, FLUNDERS, { ...admin, body: { apiVersion: 'wardle.example.com/v1alpha1', kind: 'Flunder', metadata: { name: 'before-kill' } } })).status, 201);
  await eventually(async () => watch.events.some((e) => e.object.metadata?.name === 'before-kill'), 10_000);

  // Requests in flight while the backend dies.
  let stop = false;
  const statuses: number[] = [];
  const errors: string[] = [];
  const inflight = Promise.all(Array.from({ length: 6 }, async () => {
    for (let i = 0; i < 200 && !stop; i++) {
      try {
        const r = await apiRequest(core, FLUNDERS, admin);
        statuses.push(r.status);
        // Upstream's proxy answers 503 in plain text ("error trying to reach service: ...",
        // http.Error) or, once unavailable, "service unavailable"; a Status body is fine too.
        if (r.status !== 200) {
          if (String(r.headers['content-type']).includes('json')) assert.equal(r.json().kind, 'Status', r.text);
          else assert.match(r.text, /error trying to reach service|service unavailable/, r.text);
        }
      } catch (err) {
        errors.push(String(err));
      }
    }
  }));
  await sleep(300);
  process.kill(wardle.pid!, 'SIGKILL');
  await Promise.race([watch.done, sleep(15_000)]);
  assert.ok(watch.ended, 'the watch did not end after the backend died');
  await sleep(1000);
  stop = true;
  await inflight;
  assert.deepEqual(errors, [], 'requests through the proxy failed without an HTTP answer');
  const bad = statuses.filter((s) => s !== 200 && s !== 503);
  assert.deepEqual(bad, [], `statuses other than 200/503: ${bad.join(',')}`);
  assert.ok(statuses.includes(503), 'no 503 after the backend died');

  const unavailable = await eventually(async () => {
    const cond = ((await apiRequest(core, APISERVICE, admin)).json().status as { conditions?: Array<{ type: string; status: string; reason: string }> } | undefined)?.conditions?.find((c) => c.type === 'Available');
    return cond?.status === 'False';
  }, 30_000).then(async () => ((await apiRequest(core, APISERVICE, admin)).json().status as { conditions: Array<{ reason: string; message: string }> }).conditions[0]);
  assert.ok(unavailable.reason && unavailable.reason !== 'Passed', JSON.stringify(unavailable));

  await wardle.close();
  wardle = await startTestWardle({ core, child: true, args: wardleArgs });
  await eventually(async () => (await apiRequest(core, FLUNDERS, admin)).status === 200, 30_000);
  await eventually(async () => ((await apiRequest(core, APISERVICE, admin)).json().status as { conditions?: Array<{ status: string }> } | undefined)?.conditions?.[0]?.status === 'True', 30_000);
  const afterList = await apiRequest(core, FLUNDERS, admin);
  assert.equal(afterList.status, 200);

  // Sockets and memory back near the baseline once the dead connections are gone.
  let fds = fdCount(corePid);
  for (let i = 0; i < 50 && fds > baseFds + 4; i++) {
    await sleep(200);
    fds = fdCount(corePid);
  }
  assert.ok(fds <= baseFds + 4, `kagg holds ${fds} fds, baseline ${baseFds}`);
  const rss = rssKiB(corePid);
  assert.ok(rss < baseRss * 1.5 + 20_000, `kagg RSS ${rss} KiB, baseline ${baseRss} KiB`);
  t.diagnostic(`figures ${JSON.stringify({ faults: 1, requests: statuses.length + 45, unavailableReason: unavailable.reason, fdsBaseline: baseFds, fdsAfter: fds, rssBaselineKiB: baseRss, rssAfterKiB: rss })}`);
});
