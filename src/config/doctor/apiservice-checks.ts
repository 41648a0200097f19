// Online: every APIService that is not Available, classified by its condition (D01–D14,
// D27, D28) with the reason explained, plus what the APIService objects and Services show
// directly (D01, D02, D13, D27, D28, D29, D33) and the namespaces it blocks (D16).
import { X509Certificate } from 'node:crypto';
import type { Service } from 'kubernetes-types/core/v1.d.ts';
import { BUILTIN_PRIORITIES } from '../../aggregator/apis/local-apiservices.ts';
import { availableCondition, type APIService } from '../../aggregator/apis/types.ts';
import { parseCertificates } from '../cert-files.ts';
import { APISERVER_FLAGS } from '../flags.ts';
import type { DiagnosticId } from './catalog.ts';
import type { BackendState, ClusterState } from './cluster-state.ts';
import type { Check, Finding } from './types.ts';

/** Which §9 row an Available condition's reason and message point to. */
export function classifyCondition(reason: string | undefined, message: string | undefined): DiagnosticId {
  const m = message ?? '';
  switch (reason) {
    case 'ServiceNotFound': return 'D01';
    case 'ServicePortError': return 'D02';
    case 'EndpointsNotFound': return 'D03';
    case 'MissingEndpoints': return 'D04';
    default: break;
  }
  if (/cannot route to service with ClusterIP "None"/.test(m)) return 'D27';
  if (/unsupported service type "ExternalName"/.test(m)) return 'D28';
  if (reason !== 'FailedDiscoveryCheck') return 'D14';
  if (/no route to host/i.test(m)) return 'D06';
  if (/connection refused/i.test(m)) return 'D07';
  if (/x509:|certificate is valid for|legacy Common Name/i.test(m)) return 'D12';
  if (/Client\.Timeout exceeded|context deadline exceeded|i\/o timeout|timed out waiting for|awaiting headers/i.test(m)) return 'D05';
  const status = /bad status from [^:]*: (\d{3})|\b(\d{3})\b[^0-9]*$/.exec(m);
  const code = status ? Number(status[1] ?? status[2]) : undefined;
  if (code === 401) return 'D08';
  if (code === 403) return 'D09';
  if (code === 404) return 'D10';
  if (code !== undefined && code >= 500) return 'D11';
  return 'D14';
}

interface Explanation {
  why: string;
  fix: string;
}

function explain(id: DiagnosticId, svc: APIService, routing: string): Explanation {
  const ns = svc.spec.service?.namespace ?? '';
  const name = svc.spec.service?.name ?? '';
  const port = svc.spec.service?.port ?? 443;
  const gv = `${svc.spec.group}/${svc.spec.version}`;
  const unavailable = `every request for ${gv} gets 503 (the server is currently unable to handle the request), discovery of the whole cluster is incomplete, and namespace deletion and garbage collection are blocked`;
  const table: Partial<Record<DiagnosticId, Explanation>> = {
    D01: { why: `service/${name} does not exist in namespace ${ns}, so ${unavailable}`, fix: `create the Service ${ns}/${name} (or correct spec.service of the APIService): kubectl -n ${ns} get service ${name}` },
    D02: { why: `no port of service/${name} equals the APIService port ${port}; ${unavailable}`, fix: `make spec.service.port of the APIService equal a Service spec.ports[].port (e.g. 443 → targetPort of the backend), or change the Service` },
    D03: { why: `service/${name} has no endpoints (its selector matches no pod, or it has no selector); ${unavailable}`, fix: `kubectl -n ${ns} get endpointslices -l kubernetes.io/service-name=${name}; fix the selector or start the backend pods` },
    D04: { why: `no ready endpoint of service/${name} carries the Service port's name: the backend pods are not Ready (crash loop, failing readiness probe) or the port names differ; ${unavailable}`, fix: `kubectl -n ${ns} get pods,endpointslices; fix the pods' readiness, or give the Service port and the container port the same name` },
    D05: { why: `kube-apiserver cannot reach the backend in time (${routing}); no kube-proxy/CNI on the control-plane host, a firewall/security group or NetworkPolicy blocking kube-apiserver → pod port, or a hung backend; ${unavailable}`, fix: `from the control-plane host: curl -k https://<Service ClusterIP or pod IP>:<port>/apis/${gv}; allow the traffic, run kube-proxy there, or switch ${APISERVER_FLAGS.enableAggregatorRouting}` },
    D06: { why: `the control-plane host has no route to the backend (${routing}); ${unavailable}`, fix: `with endpoint routing the host needs routes to pod IPs (CNI on the control-plane node); with cluster routing it needs kube-proxy. Pick the mode the topology supports (${APISERVER_FLAGS.enableAggregatorRouting})` },
    D07: { why: `nothing listens on the backend's targetPort; ${unavailable}`, fix: `compare the Service targetPort with the container's --secure-port/containerPort: kubectl -n ${ns} describe service ${name}` },
    D08: { why: `the backend rejected the aggregator's proxy client certificate: requestheader CA mismatch or rotated, CN not in the allowed names, expired, or no clientAuth usage; ${unavailable}`, fix: 'run `kagg doctor --manifest <kube-apiserver.yaml> --cert-dir <pki> --kubeconfig <admin.conf>` to compare the proxy cert with the ConfigMap; check the backend log for "Unable to authenticate the request"' },
    D09: { why: `the backend treated the proxied request as system:anonymous: kube-apiserver lacks --proxy-client-*, the ConfigMap lacks requestheader keys or publishes requestheader-username-headers '[]', or the backend skips the ConfigMap lookup; ${unavailable}`, fix: 'set the seven aggregation flags (`kagg apiserver enable-aggregation`), check the ConfigMap (see the D09/D19 findings), and do not start the backend with --authentication-skip-lookup' },
    D10: { why: `the backend does not serve /apis/${gv} (group/version typo or the wrong backend behind the Service); ${unavailable}`, fix: `compare spec.group/spec.version with what the backend serves: kubectl get --raw /apis/${gv} via a port-forward to the backend` },
    D11: { why: `the backend answers with a server error (its storage, or its TokenReview/SubjectAccessReview calls, failing); ${unavailable}`, fix: `read the backend logs: kubectl -n ${ns} logs -l <selector of service ${name}>` },
    D12: { why: `the backend's serving certificate does not verify with spec.caBundle for ServerName ${name}.${ns}.svc; proxied requests fail with 503 error trying to reach service`, fix: `issue the backend serving certificate with SAN ${name}.${ns}.svc from the CA in spec.caBundle (or update caBundle)` },
    D14: { why: unavailable, fix: `kubectl get apiservice ${svc.metadata.name} -o yaml and fix the cause named in the condition` },
    D27: { why: `service/${name} is headless (clusterIP: None), which cluster routing cannot use; ${unavailable}`, fix: `give the Service a ClusterIP, or set ${APISERVER_FLAGS.enableAggregatorRouting}=true` },
    D28: { why: `service/${name} is of type ExternalName, which endpoint routing (${APISERVER_FLAGS.enableAggregatorRouting}=true) refuses; ${unavailable}`, fix: `use a ClusterIP Service, or remove ${APISERVER_FLAGS.enableAggregatorRouting}` },
  };
  return table[id] ?? (table.D14 as Explanation);
}

export const apiServiceChecks: Check = {
  name: 'APIServices',
  ids: ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07', 'D08', 'D09', 'D10', 'D11', 'D12', 'D13', 'D14', 'D16', 'D27', 'D28', 'D29', 'D33'],
  needs: ['online'],
  run(ctx) {
    const cluster = ctx.cluster as ClusterState;
    if (!cluster.apiServices.ok) {
      const status = cluster.apiServices.status;
      const notServed = status === 404;
      return [{
        id: 'D14', severity: 'warning', subject: 'apiservices', summary: `cannot list APIServices: ${cluster.apiServices.error}`,
        why: notServed ? `${cluster.server} does not serve apiregistration.k8s.io/v1: it runs without the aggregation layer (or is not a kube-apiserver), so no aggregated API can be registered` : 'the availability of aggregated APIs could not be checked',
        fix: notServed ? 'run kube-apiserver (kube-aggregator is built in) and point --kubeconfig at it' : 'use a kubeconfig allowed to list apiservices.apiregistration.k8s.io (e.g. admin.conf)',
      }];
    }
    const routingFlag = ctx.flags ? ctx.flags.bool(APISERVER_FLAGS.enableAggregatorRouting) === true : undefined;
    const routing = routingFlag === undefined ? 'routing mode unknown without the flags' : routingFlag ? 'endpoint routing: kube-apiserver dials pod IPs' : 'cluster routing: kube-apiserver dials the Service ClusterIP';
    const out: Finding[] = [];
    const unavailable: string[] = [];
    for (const svc of cluster.apiServices.value) {
      const name = svc.metadata.name ?? '';
      const cond = availableCondition(svc);
      const backend = cluster.backends.get(name);
      const remote = Boolean(svc.spec.service);
      let reported: DiagnosticId | undefined;
      if (cond?.status !== 'True') {
        unavailable.push(name);
        const id = cond ? classifyCondition(cond.reason, cond.message) : 'D14';
        reported = id;
        const state = cond ? `${cond.status}${cond.reason ? ` (${cond.reason})` : ''}` : 'Unknown (no Available condition yet)';
        out.push({ id, severity: 'error', subject: `apiservice/${name}`, summary: `APIService ${name} is not Available: ${state}${cond?.message ? `: ${cond.message}` : ''}`, ...explain(id, svc, routing) });
      }
      if (!remote) continue;
      out.push(...serviceFindings(svc, backend?.service, routingFlag, reported));
      if (svc.spec.caBundle) {
        const pem = Buffer.from(svc.spec.caBundle, 'base64').toString('utf8');
        if (parseCertificates(pem).length === 0 || !isWholePem(pem)) {
          out.push({ id: 'D13', severity: 'error', subject: `apiservice/${name}`, summary: `APIService ${name} spec.caBundle is not a valid PEM certificate bundle`, why: 'caBundle is not validated on write; every proxied request then fails with HTTP 500 "unable to load root certificates" while the condition may still say True', fix: `set spec.caBundle to base64 of the PEM CA that signed the backend serving certificate: kubectl patch apiservice ${name} --type merge -p '{"spec":{"caBundle":"'$(base64 -w0 ca.crt)'"}}'` });
        }
      }
      const gvKey = `${svc.spec.group ?? ''}/${svc.spec.version ?? ''}`;
      const crd = cluster.crdGroupVersions.ok && cluster.crdGroupVersions.value.has(gvKey);
      if (BUILTIN_PRIORITIES[gvKey] || crd) {
        out.push({ id: 'D33', severity: 'warning', subject: `apiservice/${name}`, summary: `remote APIService ${name} serves ${gvKey}, which is also served locally (${crd ? 'a CRD' : 'a built-in group'})`, why: 'the aggregator consults its own paths first, so the backend shadows the local resources of that group/version for every client', fix: `use a group of your own for the backend, or delete the APIService (kubectl delete apiservice ${name}) to restore the local ${gvKey}` });
      }
      const probe = backend?.probe;
      if (probe?.ok && probe.value.status === 502 && /attempted to redirect/.test(probe.value.body)) {
        out.push({ id: 'D29', severity: 'error', subject: `apiservice/${name}`, summary: `GET /apis/${svc.spec.group}/${svc.spec.version} through kube-apiserver answers 502: the backend attempted to redirect this request, which is not permitted`, why: 'the aggregator refuses redirects from backends (--aggregator-reject-forwarding-redirect), so clients get 502', fix: 'make the backend answer the request itself (serve HTTPS on the target port, no trailing-slash or HTTP→HTTPS redirects)' });
      }
    }
    if (unavailable.length > 0 && cluster.namespaces.ok) {
      for (const ns of cluster.namespaces.value) {
        const c = ns.status?.conditions?.find((x) => x.type === 'NamespaceDeletionDiscoveryFailure' && x.status === 'True');
        if (ns.status?.phase === 'Terminating' && c) {
          out.push({ id: 'D16', severity: 'error', subject: `namespace/${ns.metadata?.name}`, summary: `namespace ${ns.metadata?.name} is stuck Terminating: ${c.message ?? c.reason ?? ''}`, why: `namespace deletion needs discovery of every group; unavailable APIServices (${unavailable.join(', ')}) make it fail cluster-wide, and garbage collection too`, fix: `fix the unavailable APIServices above, or delete the ones no longer wanted: kubectl delete apiservice ${unavailable.join(' ')}` });
        }
      }
    }
    return out;
  },
};

function isWholePem(pem: string): boolean {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  return blocks.every((b) => {
    try {
      new X509Certificate(b);
      return true;
    } catch {
      return false;
    }
  });
}

/** What the Service itself shows (also before the controller updated the condition). */
function serviceFindings(svc: APIService, service: BackendState['service'] | undefined, routing: boolean | undefined, reported: DiagnosticId | undefined): Finding[] {
  if (!service || !service.ok) return [];
  const name = svc.metadata.name ?? '';
  const ref = svc.spec.service ?? {};
  const s: Service | null = service.value;
  if (s === null) {
    if (reported === 'D01') return []; // already reported from the condition
    return [{ id: 'D01', severity: 'error', subject: `apiservice/${name}`, summary: `service/${ref.name} in ${JSON.stringify(ref.namespace)} named by APIService ${name} does not exist`, why: 'the availability controller will mark the APIService False (ServiceNotFound) and requests for its group/version get 503', fix: `create the Service or correct spec.service of the APIService (kubectl -n ${ref.namespace} get services)` }];
  }
  const out: Finding[] = [];
  const port = ref.port ?? 443;
  const type = s.spec?.type ?? 'ClusterIP';
  if (type !== 'ExternalName' && !(s.spec?.ports ?? []).some((p) => p.port === port) && reported !== 'D02') {
    out.push({ id: 'D02', severity: 'error', subject: `service/${ref.namespace}/${ref.name}`, summary: `service/${ref.name} in ${JSON.stringify(ref.namespace)} is not listening on port ${port} (ports: ${(s.spec?.ports ?? []).map((p) => p.port).join(', ') || 'none'})`, why: 'the APIService port (default 443) must equal a Service port; otherwise ServicePortError and 503 for the group/version', fix: `set spec.service.port of APIService ${name} to a Service port, or add port ${port} to the Service` });
  }
  if (s.spec?.clusterIP === 'None' && routing === false && reported !== 'D27') {
    out.push({ id: 'D27', severity: 'error', subject: `service/${ref.namespace}/${ref.name}`, summary: `service/${ref.name} is headless and kube-apiserver uses cluster routing`, why: 'cluster routing dials the ClusterIP: cannot route to service with ClusterIP "None"', fix: `give the Service a ClusterIP, or set ${APISERVER_FLAGS.enableAggregatorRouting}=true` });
  }
  if (type === 'ExternalName' && routing === true && reported !== 'D28') {
    out.push({ id: 'D28', severity: 'error', subject: `service/${ref.namespace}/${ref.name}`, summary: `service/${ref.name} is ExternalName and kube-apiserver uses endpoint routing`, why: 'endpoint routing refuses it: unsupported service type "ExternalName"', fix: `use a ClusterIP Service with endpoints, or remove ${APISERVER_FLAGS.enableAggregatorRouting}` });
  }
  return out;
}
