// The storage package: the contract, its typed errors, and `createStore` selecting a
// driver by type. Drivers register here by scheme and are loaded on first use.
import type { Store } from './interface.ts';
import { openDriver, registerDriver } from './registry.ts';
import type { StoreOptions } from './registry.ts';

export type * from './interface.ts';
export { conflict, isStorageError, keyExists, keyNotFound, STORAGE_ERROR_CODES, StorageError, storageTimeout, tooOld, unavailable } from './errors.ts';
export type { StorageErrorCode } from './errors.ts';
export type { CommonStoreOptions, EtcdStoreOptions, EtcdTlsOptions, MemoryStoreOptions, SqliteStoreOptions, StoreOptions, StoreType } from './registry.ts';
export { registerDriver, registeredDrivers } from './registry.ts';

registerDriver('memory', async (o) => (await import('./memory/memory-store.ts')).openMemoryStore(o));
registerDriver('sqlite', async (o) => (await import('./sqlite/sqlite-store.ts')).openSqliteStore(o));
registerDriver('etcd', async (o) => (await import('./etcd/etcd-store.ts')).openEtcdStore(o));

export function createStore(options: StoreOptions): Promise<Store> {
  return openDriver(options);
}

export type StorageFlag = { type: 'memory' } | { type: 'sqlite'; path: string } | { type: 'etcd'; endpoints: string[] };

/**
 * Parses `--storage`: `memory`, `sqlite:PATH`, `etcd` (endpoints from --etcd-servers) or
 * `etcd:URL[,URL…]`. Throws an Error naming the bad value.
 */
export function parseStorageFlag(value: string): StorageFlag {
  const colon = value.indexOf(':');
  const scheme = colon < 0 ? value : value.slice(0, colon);
  const rest = colon < 0 ? '' : value.slice(colon + 1);
  switch (scheme) {
    case 'memory':
      if (rest) break;
      return { type: 'memory' };
    case 'sqlite':
      if (!rest) throw new Error(`invalid --storage value "${value}": sqlite needs a path (sqlite:PATH)`);
      return { type: 'sqlite', path: rest };
    case 'etcd': {
      const endpoints = rest ? rest.split(',').filter((e) => e !== '') : [];
      for (const e of endpoints) {
        if (!/^https?:\/\/[^/]+\/?$/.test(e)) throw new Error(`invalid --storage value "${value}": etcd endpoint "${e}" is not http(s)://host:port`);
      }
      return { type: 'etcd', endpoints };
    }
  }
  throw new Error(`invalid --storage value "${value}": want memory, sqlite:PATH or etcd[:URL,…]`);
}
