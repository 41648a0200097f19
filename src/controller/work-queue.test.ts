import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createWorkQueue } from './work-queue.ts';

/** A manual clock: timers fire when the test advances time. */
function manualTimers() {
  let now = 0;
  const timers: { at: number; fn: () => void; cancelled: boolean }[] = [];
  return {
    setTimer(fn: () => void, ms: number) {
      const t = { at: now + ms, fn, cancelled: false };
      timers.push(t);
      return { cancel: () => void (t.cancelled = true) };
    },
    advance(ms: number) {
      now += ms;
      for (const t of timers.filter((x) => !x.cancelled && x.at <= now)) {
        t.cancelled = true;
        t.fn();
      }
    },
  };
}

test('work queue: duplicates collapse, FIFO order', async () => {
  const q = createWorkQueue();
  q.add('a');
  q.add('b');
  q.add('a');
  assert.equal(q.len(), 2);
  assert.equal(await q.get(), 'a');
  assert.equal(await q.get(), 'b');
});

test('work queue: a key added while processing is queued again after done, never twice at once', async () => {
  const q = createWorkQueue();
  q.add('a');
  const k = await q.get();
  q.add('a');
  assert.equal(q.len(), 0, 'not handed out while processing');
  q.done(k!);
  assert.equal(q.len(), 1);
  assert.equal(await q.get(), 'a');
});

test('work queue: waiting get() resolves on add; shutDown releases waiters', async () => {
  const q = createWorkQueue();
  const waiting = q.get();
  q.add('x');
  assert.equal(await waiting, 'x');
  const pending = q.get();
  q.shutDown();
  assert.equal(await pending, undefined);
  assert.equal(await q.get(), undefined);
});

test('work queue: rate-limited re-adds back off exponentially per key; forget resets', async () => {
  const clock = manualTimers();
  const q = createWorkQueue({ baseDelayMs: 10, maxDelayMs: 25, setTimer: clock.setTimer });
  q.addRateLimited('k');
  clock.advance(9);
  assert.equal(q.len(), 0);
  clock.advance(1);
  assert.equal(q.len(), 1);
  q.done((await q.get())!);
  q.addRateLimited('k'); // second failure: 20 ms
  clock.advance(19);
  assert.equal(q.len(), 0);
  clock.advance(1);
  assert.equal(q.len(), 1);
  q.done((await q.get())!);
  q.addRateLimited('k'); // third: capped at 25 ms
  clock.advance(25);
  assert.equal(q.len(), 1);
  assert.equal(q.failures('k'), 3);
  q.forget('k');
  assert.equal(q.failures('k'), 0);
});
