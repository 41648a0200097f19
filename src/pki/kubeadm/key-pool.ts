// Keys made ahead of need: a pool starts N keys at once on the thread pool and hands them
// out in the order they finish, so the first certificate to ask (a CA) signs with the first
// key ready instead of waiting on one slow RSA prime search. `kagg certs init` starts the
// pool for an empty cert dir before it loads the signing code, so both overlap.
// Loads no X.509 code: node:crypto and the tree's tables only.
import { readdir } from 'node:fs/promises';
import { generateKey, type PrivateKey } from '../keys.ts';
import { KEY_ALGORITHMS, treeCas, treeLeaves, type KeyAlgorithmName } from './cert-list.ts';

export interface KeyPool {
  readonly algorithm: KeyAlgorithmName;
  /** The next key to finish; once the started ones are all taken, a new one. */
  take(): Promise<PrivateKey>;
  /** Keys started and not yet taken. */
  remaining(): number;
}

export type KeyGenerator = (algorithm: KeyAlgorithmName) => Promise<PrivateKey>;

export const generateTreeKey: KeyGenerator = (algorithm) => {
  const { algo, size } = KEY_ALGORITHMS[algorithm];
  return generateKey({ algo, size });
};

/** Starts `count` keys now. */
export function startKeyPool(algorithm: KeyAlgorithmName, count: number, generate: KeyGenerator = generateTreeKey): KeyPool {
  const done: PromiseSettledResult<PrivateKey>[] = [];
  const waiting: { resolve(key: PrivateKey): void; reject(err: unknown): void }[] = [];
  let untaken = count;
  const settle = (result: PromiseSettledResult<PrivateKey>) => {
    const waiter = waiting.shift();
    if (!waiter) done.push(result);
    else if (result.status === 'fulfilled') waiter.resolve(result.value);
    else waiter.reject(result.reason);
  };
  for (let i = 0; i < count; i++) {
    generate(algorithm).then(
      (value) => settle({ status: 'fulfilled', value }),
      (reason: unknown) => settle({ status: 'rejected', reason }),
    );
  }
  return {
    algorithm,
    take() {
      if (untaken === 0) return generate(algorithm);
      untaken--;
      const result = done.shift();
      if (result) return result.status === 'fulfilled' ? Promise.resolve(result.value) : Promise.reject(result.reason);
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    remaining: () => untaken,
  };
}

export interface FreshTreeOptions {
  externalEtcd?: boolean;
  /** The seed article's aggregator-ca / aggregator pair on top. */
  aggregatorCa?: boolean;
}

/** Keys `initCertTree` makes for an empty cert dir: every CA and leaf, and sa. */
export function freshTreeKeyCount(options: FreshTreeOptions = {}): number {
  return treeCas(options.externalEtcd).length + treeLeaves(options.externalEtcd).length + 1 + (options.aggregatorCa ? 2 : 0);
}

/** A pool with every key of a fresh tree when `certDir` is missing or empty; else undefined (keys are made as planned). */
export async function prefetchTreeKeys(certDir: string, algorithm: KeyAlgorithmName, options: FreshTreeOptions = {}): Promise<KeyPool | undefined> {
  let names: string[];
  try {
    names = await readdir(certDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
    names = [];
  }
  return names.length === 0 ? startKeyPool(algorithm, freshTreeKeyCount(options)) : undefined;
}
