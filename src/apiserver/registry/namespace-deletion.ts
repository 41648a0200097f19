// Deleting a namespace removes everything stored in it (the namespace controller's work,
// done synchronously here): every namespaced resource's objects under that namespace.
import { isStorageError } from '../../storage/errors.ts';
import type { Registry } from './context.ts';
import { listKey, objectKey } from './keys.ts';

const MAX_OBJECTS_PER_RESOURCE = 100_000;

export async function deleteNamespaceContents(registry: Registry, namespace: string): Promise<void> {
  const seen = new Set<string>();
  for (const def of registry.resources()) {
    if (!def.namespaced || def.action) continue;
    const ref = { group: def.group, resource: def.plural };
    const prefix = listKey(registry.etcdPrefix, ref, namespace);
    if (seen.has(prefix)) continue;
    seen.add(prefix);
    const { items } = await registry.store.list(prefix, { limit: MAX_OBJECTS_PER_RESOURCE });
    for (const obj of items) {
      try {
        await registry.store.delete(objectKey(registry.etcdPrefix, ref, namespace, obj.metadata.name ?? ''));
      } catch (err) {
        if (!isStorageError(err, 'NotFound')) throw err;
      }
    }
  }
}
