// The serviceaccount controller's one job kagg does at write time: every namespace gets a
// ServiceAccount named "default" (so `kubectl create token default` works everywhere).
import { randomUUID } from 'node:crypto';
import { isStorageError } from '../../../storage/errors.ts';
import type { Store } from '../../../storage/interface.ts';
import { objectKey } from '../../registry/keys.ts';

export async function ensureDefaultServiceAccount(namespace: string, ctx: { store: Store; etcdPrefix: string; now?: Date }): Promise<void> {
  const key = objectKey(ctx.etcdPrefix, { group: '', resource: 'serviceaccounts' }, namespace, 'default');
  try {
    await ctx.store.create(key, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace, uid: randomUUID(), creationTimestamp: (ctx.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z') },
    });
  } catch (err) {
    if (!isStorageError(err, 'AlreadyExists')) throw err;
  }
}
