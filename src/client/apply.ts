// Create-or-update of whole objects (what `kubectl apply` amounts to for objects kagg
// owns): POST; on AlreadyExists, GET the current resourceVersion and PUT. Idempotent.
import type { KubeClient } from './kube-client.ts';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; [k: string]: unknown };
  [k: string]: unknown;
}

export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

const PLURALS: Record<string, string> = {
  Namespace: 'namespaces', ServiceAccount: 'serviceaccounts', Service: 'services', Endpoints: 'endpoints',
  ConfigMap: 'configmaps', Secret: 'secrets', EndpointSlice: 'endpointslices', APIService: 'apiservices',
  Role: 'roles', ClusterRole: 'clusterroles', RoleBinding: 'rolebindings', ClusterRoleBinding: 'clusterrolebindings',
};

/** The collection path of an object of a built-in kind: /api/v1/namespaces/ns/services, /apis/g/v/apiservices. */
export function collectionPath(obj: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>): string {
  const plural = PLURALS[obj.kind];
  if (!plural) throw new Error(`no collection path known for kind ${obj.kind}`);
  const prefix = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
  const ns = obj.metadata.namespace ? `/namespaces/${obj.metadata.namespace}` : '';
  return `${prefix}${ns}/${plural}`;
}

function failure(method: string, path: string, status: number, body: string): KubeApiError {
  let message = body;
  try {
    message = (JSON.parse(body) as { message?: string }).message ?? body;
  } catch {
    // plain-text body
  }
  return new KubeApiError(status, `${method} ${path}: ${status} ${message}`);
}

/** Creates `obj` in `collection` (default: derived from its kind), or replaces it when it exists. */
export async function applyObject(client: KubeClient, obj: KubeObject, collection = collectionPath(obj)): Promise<KubeObject> {
  const created = await client.request('POST', collection, obj);
  if (created.status === 201 || created.status === 200) return JSON.parse(created.body) as KubeObject;
  if (created.status !== 409) throw failure('POST', collection, created.status, created.body);
  const path = `${collection}/${obj.metadata.name}`;
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await client.get(path);
    if (current.status !== 200) throw failure('GET', path, current.status, current.body);
    const existing = JSON.parse(current.body) as KubeObject;
    const next: KubeObject = { ...existing, ...obj, metadata: { ...existing.metadata, ...obj.metadata, resourceVersion: existing.metadata.resourceVersion } };
    if ('status' in existing && !('status' in obj)) next.status = existing.status;
    const updated = await client.request('PUT', path, next);
    if (updated.status === 200) return JSON.parse(updated.body) as KubeObject;
    if (updated.status !== 409) throw failure('PUT', path, updated.status, updated.body);
  }
  throw new KubeApiError(409, `PUT ${path}: still conflicting after 5 attempts`);
}

export async function getObject<T = KubeObject>(client: KubeClient, path: string): Promise<T | undefined> {
  const res = await client.get(path);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw failure('GET', path, res.status, res.body);
  return JSON.parse(res.body) as T;
}
