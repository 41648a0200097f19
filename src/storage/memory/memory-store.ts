import type { Store } from '../interface.ts';
import { createKvStore } from '../kv-store.ts';
import type { MemoryStoreOptions } from '../registry.ts';
import { createMemoryBackend } from './memory-backend.ts';

export async function openMemoryStore(options: Omit<MemoryStoreOptions, 'type'> = {}): Promise<Store> {
  return createKvStore(createMemoryBackend({ progressIntervalMs: options.progressIntervalMs }), { compactionIntervalMs: options.compactionIntervalMs });
}
