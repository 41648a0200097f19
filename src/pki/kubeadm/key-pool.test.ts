// The key pool: keys go out in the order they finish, a drained pool makes more, and a
// fresh tree takes exactly the keys prefetchTreeKeys starts.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { generateKey, type PrivateKey } from '../keys.ts';
import type { KeyAlgorithmName } from './cert-list.ts';
import { initCertTree } from './init-tree.ts';
import { freshTreeKeyCount, generateTreeKey, prefetchTreeKeys, startKeyPool, type KeyGenerator } from './key-pool.ts';

const root = mkdtempSync(join(tmpdir(), 'kagg-key-pool-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A generator whose keys finish when the test says so. */
function manualGenerator(keys: PrivateKey[]) {
  const pending: { resolve(key: PrivateKey): void; reject(err: Error): void }[] = [];
  let calls = 0;
  const generate: KeyGenerator = () => {
    calls++;
    return new Promise<PrivateKey>((resolve, reject) => pending.push({ resolve, reject }));
  };
  return { generate, finish: (i: number) => pending[i].resolve(keys[i]), fail: (i: number, err: Error) => pending[i].reject(err), calls: () => calls };
}

test('keys are handed out in the order they finish, not the order they started', async () => {
  const keys = await Promise.all([0, 1, 2].map(() => generateKey({ algo: 'ecdsa', size: 256 })));
  const gen = manualGenerator(keys);
  const pool = startKeyPool('ecdsa-p256', 3, gen.generate);
  const first = pool.take();
  const second = pool.take();
  gen.finish(2);
  gen.finish(0);
  assert.equal(await first, keys[2]);
  assert.equal(await second, keys[0]);
  gen.finish(1);
  assert.equal(await pool.take(), keys[1]);
  assert.equal(pool.remaining(), 0);
  assert.equal(gen.calls(), 3);
});

test('a drained pool makes a new key for each further take', async () => {
  const calls: KeyAlgorithmName[] = [];
  const pool = startKeyPool('ecdsa-p256', 1, (algorithm) => {
    calls.push(algorithm);
    return generateTreeKey(algorithm);
  });
  await pool.take();
  const extra = await pool.take();
  assert.equal(extra.algo, 'ecdsa');
  assert.deepEqual(calls, ['ecdsa-p256', 'ecdsa-p256']);
});

test('a failed key rejects the take it went to, and the pool goes on', async () => {
  const keys = await Promise.all([0, 1].map(() => generateKey({ algo: 'ecdsa', size: 256 })));
  const gen = manualGenerator(keys);
  const pool = startKeyPool('ecdsa-p256', 2, gen.generate);
  const first = pool.take();
  gen.fail(0, new Error('no entropy'));
  await assert.rejects(first, /no entropy/);
  gen.finish(1);
  assert.equal(await pool.take(), keys[1]);
});

for (const options of [{}, { externalEtcd: true }, { aggregatorCa: true }, { externalEtcd: true, aggregatorCa: true }]) {
  test(`a fresh tree ${JSON.stringify(options)} takes exactly the ${freshTreeKeyCount(options)} keys prefetched for it`, async () => {
    const certDir = join(root, `fresh-${JSON.stringify(options).replace(/\W+/g, '-')}`);
    const pool = await prefetchTreeKeys(certDir, 'ecdsa-p256', options);
    assert.ok(pool, 'a missing cert dir gets a pool');
    const report = await initCertTree({ certDir, nodeName: 'n1', advertiseAddress: '10.0.0.5', keyAlgorithm: 'ecdsa-p256', keyPool: pool, ...options });
    assert.equal(pool.remaining(), 0, 'every started key was used');
    assert.equal(report.written.filter((f) => f.endsWith('.key') || f.endsWith('-key.pem')).length, freshTreeKeyCount(options));
  });
}

test('a cert dir with files gets no pool (its keys may already exist)', async () => {
  const certDir = join(root, 'not-empty');
  mkdirSync(certDir);
  writeFileSync(join(certDir, 'ca.crt'), '');
  assert.equal(await prefetchTreeKeys(certDir, 'ecdsa-p256'), undefined);
  const empty = join(root, 'empty');
  mkdirSync(empty);
  assert.ok(await prefetchTreeKeys(empty, 'ecdsa-p256'));
});

test('a pool of another algorithm is a bug, refused before anything is written', async () => {
  const certDir = join(root, 'wrong-algorithm');
  const pool = startKeyPool('ecdsa-p256', 0);
  await assert.rejects(initCertTree({ certDir, nodeName: 'n1', advertiseAddress: '10.0.0.5', keyAlgorithm: 'rsa2048', keyPool: pool }), /bug: the key pool makes ecdsa-p256 keys/);
  assert.equal(existsSync(certDir), false);
});
