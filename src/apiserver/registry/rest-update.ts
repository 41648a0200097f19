// PUT of an object or its /status (k8s.io/apiserver handlers/update.go): optimistic
// concurrency through metadata.resourceVersion, 409 Conflict when stale.
import { badRequest } from '../../apimachinery/status.ts';
import type { StoredObject } from '../../storage/interface.ts';
import type { RestRequest } from './context.ts';
import { createDecoded, decodeRequestObject } from './rest-create.ts';
import { isStorageError } from '../../storage/errors.ts';
import { isDryRun, keyOf, respond, storage } from './rest-common.ts';
import { finishUpdate, prepareUpdate } from './update-object.ts';

export async function updateObject(r: RestRequest): Promise<void> {
  const incoming = await decodeRequestObject(r);
  const bodyName = incoming.metadata.name;
  if (bodyName && bodyName !== r.name) throw badRequest(`the name of the object (${bodyName}) does not match the name on the URL (${r.name})`);
  incoming.metadata.name = r.name;
  const key = keyOf(r, r.name);
  if (r.def.allowCreateOnUpdate && !r.info.subresource && !(await exists(r, key))) {
    respond(r, 201, await createDecoded(r, incoming));
    return;
  }
  if (isDryRun(r.query)) {
    const current = await storage(r, r.name, () => r.registry.store.get(key));
    respond(r, 200, (await prepareUpdate(r, incoming, current)) ?? current);
    return;
  }
  const updated: StoredObject = await storage(r, r.name, () =>
    r.registry.store.guaranteedUpdate(key, async (current) => {
      if (!current) throw new Error('guaranteedUpdate without an object');
      return prepareUpdate(r, incoming, current);
    }),
  );
  respond(r, 200, await finishUpdate(r, updated));
}

async function exists(r: RestRequest, key: string): Promise<boolean> {
  try {
    await r.registry.store.get(key);
    return true;
  } catch (err) {
    if (isStorageError(err, 'NotFound')) return false;
    throw err;
  }
}
