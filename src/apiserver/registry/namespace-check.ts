// NamespaceLifecycle admission: objects may only be created in an existing namespace that
// is not terminating.
import { forbidden, notFound } from '../../apimachinery/status.ts';
import { isStorageError } from '../../storage/errors.ts';
import type { RestRequest } from './context.ts';
import { objectKey } from './keys.ts';
import { groupResource } from './rest-common.ts';

/** Skipped when the registry does not serve namespaces itself (an extension server without built-ins). */
export async function checkNamespaceForCreate(r: RestRequest, name: string): Promise<void> {
  if (!r.def.namespaced || !r.registry.lookup('', 'v1', 'namespaces')) return;
  const key = objectKey(r.registry.etcdPrefix, { group: '', resource: 'namespaces' }, '', r.namespace);
  try {
    const ns = await r.registry.store.get(key);
    if (ns.metadata.deletionTimestamp) {
      throw forbidden(groupResource(r.def), name, `unable to create new content in namespace ${r.namespace} because it is being terminated`);
    }
  } catch (err) {
    if (isStorageError(err, 'NotFound')) throw notFound({ group: '', resource: 'namespaces' }, r.namespace);
    throw err;
  }
}
