import type { Store } from '../interface.ts';
import { createKvStore } from '../kv-store.ts';
import type { EtcdStoreOptions } from '../registry.ts';
import { createEtcdBackend } from './etcd-backend.ts';

export async function openEtcdStore(options: Omit<EtcdStoreOptions, 'type'>): Promise<Store> {
  const backend = createEtcdBackend({
    endpoints: options.endpoints,
    tls: options.tls,
    prefix: options.prefix,
    requestTimeoutMs: options.requestTimeoutMs,
    watchResumeTimeoutMs: options.watchResumeTimeoutMs,
  });
  return createKvStore(backend, { compactionIntervalMs: options.compactionIntervalMs });
}
