import type { Store } from '../interface.ts';
import { createKvStore } from '../kv-store.ts';
import type { SqliteStoreOptions } from '../registry.ts';
import { openSqliteBackend } from './sqlite-backend.ts';

export async function openSqliteStore(options: Omit<SqliteStoreOptions, 'type'>): Promise<Store> {
  const backend = openSqliteBackend(options);
  return createKvStore(backend, { compactionIntervalMs: options.compactionIntervalMs });
}
