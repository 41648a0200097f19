// One read-only snapshot of what the online checks look at, fetched in parallel: the
// APIServices, the Services behind remote ones (and their pods' service accounts), the
// extension-apiserver-authentication ConfigMap, RBAC bindings, namespaces, CRDs, /readyz
// and aggregated discovery. A failed read is kept as data so checks can say what they
// could not decide.
import type { ConfigMap, Namespace, Pod, Service } from 'kubernetes-types/core/v1.d.ts';
import type { ClusterRoleBinding, RoleBinding } from 'kubernetes-types/rbac/v1.d.ts';
import type { APIService } from '../../aggregator/apis/types.ts';
import type { PodMount } from '../manifest.ts';
import type { KubeClient } from '../../client/kube-client.ts';

export type Fetched<T> = { ok: true; value: T } | { ok: false; status?: number; error: string };

export const AUTH_CONFIGMAP = { namespace: 'kube-system', name: 'extension-apiserver-authentication' } as const;
export const AGGREGATED_DISCOVERY_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

export interface BackendState {
  service: Fetched<Service | null>;
  /** Service accounts of the pods the Service selects. */
  serviceAccounts: Fetched<string[]>;
  /** GET /apis/<group>/<version> through kube-apiserver. */
  probe: Fetched<{ status: number; body: string }>;
}

export interface AggregatedDiscovery {
  items?: Array<{ metadata?: { name?: string }; versions?: Array<{ version?: string; freshness?: string }> }>;
}

/** The kube-apiserver static pod as the API shows it (its mirror pod in kube-system). */
export interface ApiserverPod {
  name: string;
  args: string[];
  mounts: PodMount[];
}

export interface ClusterState {
  server: string;
  /** null: no pod labelled component=kube-apiserver in kube-system (not kubeadm-style). */
  apiserverPod: Fetched<ApiserverPod | null>;
  apiServices: Fetched<APIService[]>;
  /** null: the ConfigMap does not exist. */
  authConfigMap: Fetched<ConfigMap | null>;
  /** Keyed by APIService name (remote ones only). */
  backends: Map<string, BackendState>;
  roleBindings: Fetched<RoleBinding[]>;
  clusterRoleBindings: Fetched<ClusterRoleBinding[]>;
  namespaces: Fetched<Namespace[]>;
  /** `<group>/<version>` of every served CRD version. */
  crdGroupVersions: Fetched<Set<string>>;
  readyz: Fetched<{ status: number; body: string }>;
  discovery: Fetched<AggregatedDiscovery>;
}

async function getJson<T>(client: KubeClient, path: string, accept?: string): Promise<Fetched<T>> {
  try {
    const res = await client.get(path, accept ? { accept } : {});
    if (res.status !== 200) return { ok: false, status: res.status, error: `GET ${path}: HTTP ${res.status}${statusMessage(res.body)}` };
    return { ok: true, value: JSON.parse(res.body) as T };
  } catch (err) {
    return { ok: false, error: `GET ${path}: ${(err as Error).message}` };
  }
}

async function getRaw(client: KubeClient, path: string): Promise<Fetched<{ status: number; body: string }>> {
  try {
    return { ok: true, value: await client.get(path) };
  } catch (err) {
    return { ok: false, error: `GET ${path}: ${(err as Error).message}` };
  }
}

function statusMessage(body: string): string {
  try {
    const s = JSON.parse(body) as { message?: string };
    return s.message ? ` (${s.message})` : '';
  } catch {
    return body ? ` (${body.trim().slice(0, 200)})` : '';
  }
}

function items<T>(f: Fetched<{ items?: T[] }>): Fetched<T[]> {
  return f.ok ? { ok: true, value: f.value.items ?? [] } : f;
}

function nullOn404<T>(f: Fetched<T>): Fetched<T | null> {
  return !f.ok && f.status === 404 ? { ok: true, value: null } : f;
}

export async function fetchClusterState(client: KubeClient): Promise<ClusterState> {
  const [apiServices, cm, roleBindings, clusterRoleBindings, namespaces, crds, readyz, discovery, apiserverPods] = await Promise.all([
    getJson<{ items?: APIService[] }>(client, '/apis/apiregistration.k8s.io/v1/apiservices').then(items),
    getJson<ConfigMap>(client, `/api/v1/namespaces/${AUTH_CONFIGMAP.namespace}/configmaps/${AUTH_CONFIGMAP.name}`).then(nullOn404),
    getJson<{ items?: RoleBinding[] }>(client, '/apis/rbac.authorization.k8s.io/v1/namespaces/kube-system/rolebindings').then(items),
    getJson<{ items?: ClusterRoleBinding[] }>(client, '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings').then(items),
    getJson<{ items?: Namespace[] }>(client, '/api/v1/namespaces').then(items),
    getJson<{ items?: Array<{ spec?: { group?: string; versions?: Array<{ name?: string; served?: boolean }> } }> }>(client, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions').then(items),
    getRaw(client, '/readyz?verbose'),
    getJson<AggregatedDiscovery>(client, '/apis', AGGREGATED_DISCOVERY_ACCEPT),
    getJson<{ items?: Pod[] }>(client, `/api/v1/namespaces/kube-system/pods?labelSelector=${encodeURIComponent('component=kube-apiserver')}`).then(items),
  ]);
  const apiserverPod: Fetched<ApiserverPod | null> = apiserverPods.ok ? { ok: true, value: podArgs(apiserverPods.value) } : apiserverPods;
  const crdGroupVersions: Fetched<Set<string>> = crds.ok
    ? { ok: true, value: new Set(crds.value.flatMap((c) => (c.spec?.versions ?? []).filter((v) => v.served !== false).map((v) => `${c.spec?.group}/${v.name}`))) }
    : crds;

  const backends = new Map<string, BackendState>();
  if (apiServices.ok) {
    await Promise.all(
      apiServices.value
        .filter((s) => s.spec.service)
        .map(async (s) => {
          const ref = s.spec.service ?? {};
          const service = nullOn404(await getJson<Service>(client, `/api/v1/namespaces/${enc(ref.namespace)}/services/${enc(ref.name)}`));
          let serviceAccounts: Fetched<string[]> = { ok: true, value: [] };
          const selector = service.ok ? service.value?.spec?.selector : undefined;
          if (selector && Object.keys(selector).length > 0) {
            const label = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
            const pods = items(await getJson<{ items?: Pod[] }>(client, `/api/v1/namespaces/${enc(ref.namespace)}/pods?labelSelector=${encodeURIComponent(label)}`));
            serviceAccounts = pods.ok ? { ok: true, value: [...new Set(pods.value.map((p) => p.spec?.serviceAccountName ?? 'default'))] } : pods;
          }
          const probe = s.spec.group && s.spec.version ? await getRaw(client, `/apis/${enc(s.spec.group)}/${enc(s.spec.version)}`) : { ok: false as const, error: 'no group/version' };
          backends.set(s.metadata.name ?? '', { service, serviceAccounts, probe });
        }),
    );
  }
  return { server: client.server, apiserverPod, apiServices, authConfigMap: cm, backends, roleBindings, clusterRoleBindings, namespaces, crdGroupVersions, readyz, discovery };
}

/** The kube-apiserver container's arguments (command after the program, then args). */
function podArgs(pods: Pod[]): ApiserverPod | null {
  for (const pod of pods) {
    const c = (pod.spec?.containers ?? []).find((x) => x.name === 'kube-apiserver' || /(^|\/)kube-apiserver$/.test(x.command?.[0] ?? ''));
    if (!c) continue;
    const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v.hostPath?.path]));
    const mounts = (c.volumeMounts ?? []).map((m) => ({ name: m.name, mountPath: m.mountPath, ...(volumes.get(m.name) ? { hostPath: volumes.get(m.name) } : {}) }));
    return { name: pod.metadata?.name ?? '', args: [...(c.command ?? []).slice(1), ...(c.args ?? [])], mounts };
  }
  return null;
}

function enc(s: string | undefined): string {
  return encodeURIComponent(s ?? '');
}
