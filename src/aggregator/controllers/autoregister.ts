// Autoregistration of Local APIServices for the built-in groups (kube-aggregator
// pkg/controllers/autoregister, spec 1.8): synced once at start; later edits are left
// alone; APIServices labelled automanaged=onstart that are no longer served are deleted.
// The sync is safe to repeat.
import { randomUUID } from 'node:crypto';
import { DEFAULT_ETCD_PREFIX, objectKey, resourcePrefix } from '../../apiserver/registry/keys.ts';
import { isStorageError } from '../../storage/errors.ts';
import type { Store, StoredObject } from '../../storage/interface.ts';
import { rfc3339 } from '../apis/conditions.ts';
import { AUTOMANAGED_LABEL, AUTOMANAGED_ON_START } from '../apis/local-apiservices.ts';
import { prepareForCreate } from '../apis/strategy.ts';
import { APISERVICE_RESOURCE, type APIService } from '../apis/types.ts';

export interface AutoRegisterOptions {
  store: Store;
  etcdPrefix?: string;
  now?: () => Date;
}

/** Creates the missing ones and removes stale onstart ones; returns the names it created. */
export async function autoRegisterOnStart(wanted: readonly APIService[], opts: AutoRegisterOptions): Promise<string[]> {
  const prefix = opts.etcdPrefix ?? DEFAULT_ETCD_PREFIX;
  const now = opts.now ?? (() => new Date());
  const created: string[] = [];
  const names = new Set(wanted.map((s) => s.metadata.name));
  for (const svc of wanted) {
    const name = svc.metadata.name ?? '';
    const obj = prepareForCreate(structuredClone(svc), now());
    obj.metadata = { ...obj.metadata, uid: randomUUID(), creationTimestamp: rfc3339(now()) };
    try {
      await opts.store.create(objectKey(prefix, APISERVICE_RESOURCE, '', name), obj as unknown as StoredObject);
      created.push(name);
    } catch (err) {
      if (!isStorageError(err, 'AlreadyExists')) throw err;
    }
  }
  const existing = await opts.store.list(resourcePrefix(prefix, APISERVICE_RESOURCE));
  for (const item of existing.items) {
    const labels = item.metadata.labels as Record<string, string> | undefined;
    if (labels?.[AUTOMANAGED_LABEL] !== AUTOMANAGED_ON_START || names.has(item.metadata.name)) continue;
    await opts.store.delete(objectKey(prefix, APISERVICE_RESOURCE, '', String(item.metadata.name))).catch((err: unknown) => {
      if (!isStorageError(err, 'NotFound')) throw err;
    });
  }
  return created;
}
