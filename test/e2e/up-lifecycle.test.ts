// `kagg up` over its lifetime: a taken port is a clear error that leaves nothing running,
// a second `up` while one runs is refused, `kagg down` stops every recorded PID, and a
// second `up` on the same state dir reuses the PKI and the data, and `down` still stops the
// children when the foreground `up` was killed. One state dir for the file.
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { toolOptions } from '../support/tools.ts';
import { isAlive, processesMentioning, recordedPids, startUp, waitGone, type RunResult } from '../support/up.ts';

function ok(r: RunResult, what: string): string {
  assert.equal(r.code, 0, `${what} failed (exit ${r.code}${r.timedOut ? ', timed out' : ''}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const exists = (path: string) => stat(path).then(() => true, () => false);

test('kagg up: taken port, second up, down, and up again on the same state', toolOptions('kubectl'), async (t) => {
  const stack = await startUp(t);
  const caPath = join(stack.state, 'pki', 'ca.crt');
  const wardleCaPath = join(stack.state, 'wardle-pki', 'ca.crt');
  const ca = await readFile(caPath);
  const wardleCa = await readFile(wardleCaPath);
  const manifest = join(stack.dir, 'flunder.yaml');
  await writeFile(manifest, [
    'apiVersion: wardle.example.com/v1beta1',
    'kind: Flunder',
    'metadata: {name: persisted, namespace: default}',
    'spec: {referenceType: Flunder, flunderReference: kept}',
    '',
  ].join('\n'));
  ok(await stack.kubectl(['apply', '-f', manifest]), 'kubectl apply');

  await t.test('a taken --port is a clear error, exit 1, and leaves no process behind', async () => {
    // The running stack holds stack.port; a new state dir asks for the same port.
    for (const detach of [false, true]) {
      const other = join(stack.dir, detach ? 'other-detached' : 'other');
      const r = await stack.kagg(['up', '--port', String(stack.port), '--state-dir', other, ...(detach ? ['--detach'] : [])], { timeoutMs: 60_000 });
      assert.equal(r.code, 1, `detach=${detach}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
      assert.match(r.stderr, new RegExp(`port ${stack.port} on 127\\.0\\.0\\.1 is already in use: stop what uses it or choose another with --port`), r.stderr);
      assert.equal(await exists(join(other, 'up.pid')), false, 'up.pid left behind');
      assert.equal(await exists(join(other, 'children.pids')), false, 'children.pids left behind');
      assert.equal(await exists(join(other, 'pki', 'ca.crt')), false, 'a PKI was generated before the port check');
      assert.deepEqual(await waitGone(await processesMentioning(other), 5_000), [], 'processes of the failed up still running');
    }
    ok(await stack.kubectl(['get', 'flunder', 'persisted']), 'the running stack still serves');
  });

  await t.test('a second up on a running state dir is refused and the running one keeps serving', async () => {
    const r = await stack.kagg(['up', '--port', String(stack.port), '--state-dir', stack.state], { timeoutMs: 60_000 });
    assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /kagg up: already running \(pid \d+\)/);
    ok(await stack.kubectl(['get', 'flunder', 'persisted']), 'the running stack still serves');
  });

  // Regression: runDetached used to remove <state>/ready and truncate logs/up.log before its
  // child found the stack already running.
  await t.test('a second up --detach on a running state dir is refused without touching the running one\'s files', async () => {
    const r = await stack.up();
    assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /already running \(pid \d+\)/);
    ok(await stack.kubectl(['get', 'flunder', 'persisted']), 'the running stack still serves');
    assert.equal(await exists(join(stack.state, 'ready')), true, 'the running stack\'s ready marker was removed');
    assert.match(await readFile(join(stack.state, 'logs', 'up.log'), 'utf8'), /kagg is up: /, 'the running stack\'s up.log was truncated');
  });

  await t.test('kagg down stops every recorded PID', async () => {
    const pids = await recordedPids(stack.state);
    assert.ok(pids.length >= 3, `expected up + kagg-serve + wardle PIDs, got ${pids.join(', ')}`);
    assert.deepEqual(pids.filter((p) => !isAlive(p)), [], 'a recorded PID was not running before down');
    const r = await stack.kagg(['down', '--state-dir', stack.state], { timeoutMs: 60_000 });
    assert.match(ok(r, 'kagg down'), /kagg down: stopped/);
    assert.deepEqual(await waitGone(pids, 2_000), [], 'recorded PIDs still alive after kagg down');
    assert.deepEqual(await waitGone(await processesMentioning(stack.state), 2_000), [], 'processes using the state dir still alive');
    for (const f of ['up.pid', 'children.pids', 'ready']) assert.equal(await exists(join(stack.state, f)), false, `${f} left behind`);
    const again = await stack.kagg(['down', '--state-dir', stack.state], { timeoutMs: 30_000 });
    assert.match(ok(again, 'second kagg down'), /kagg down: nothing running/);
  });

  await t.test('a second up reuses the PKI and the data', async () => {
    const r = await stack.up();
    ok(r, 'second kagg up --detach');
    assert.deepEqual(await readFile(caPath), ca, 'ca.crt was regenerated');
    assert.deepEqual(await readFile(wardleCaPath), wardleCa, 'the wardle CA was regenerated');
    const apis = ok(await stack.kubectl(['get', 'apiservices', 'v1alpha1.wardle.example.com', 'v1beta1.wardle.example.com']), 'get apiservices');
    assert.equal(apis.split('\n').filter((l) => /\swardle\/api\s+True\s/.test(l)).length, 2, apis);
    const flunder = JSON.parse(ok(await stack.kubectl(['get', 'flunder', 'persisted', '-o', 'json']), 'get the flunder made before')) as { spec: Record<string, string> };
    assert.equal(flunder.spec.flunderReference, 'kept');
  });

  await t.test('kagg down stops the recorded children after the foreground up was SIGKILLed', async () => {
    const upPid = Number((await readFile(join(stack.state, 'up.pid'), 'utf8')).trim());
    const children = (await recordedPids(stack.state)).filter((p) => p !== upPid);
    assert.ok(children.length >= 2, `expected kagg-serve and wardle PIDs, got ${children.join(', ')}`);
    process.kill(upPid, 'SIGKILL');
    assert.deepEqual(await waitGone([upPid], 5_000), [], 'the SIGKILLed up is still alive');
    assert.deepEqual(children.filter((p) => !isAlive(p)), [], 'the children died with their parent: nothing left to test');
    assert.match(ok(await stack.kagg(['down', '--state-dir', stack.state], { timeoutMs: 60_000 }), 'kagg down'), /kagg down: stopped/);
    assert.deepEqual(await waitGone(children, 2_000), [], 'recorded children still alive after kagg down');
    assert.deepEqual(await waitGone(await processesMentioning(stack.state), 2_000), [], 'processes using the state dir still alive');
  });
});
