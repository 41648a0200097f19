// The failure modes of spec aggregation.md §9 (D01–D34) and kagg's additions (X01–X04):
// how each one is decided by `kagg doctor`, or why it cannot be.

/**
 * `flags`: kube-apiserver's flags, from --manifest/--flags-file or, online, its mirror pod;
 * `files`: the certificate files local flags name (or --apiservice manifests);
 * `online`: the live API server (--kubeconfig).
 */
export type DecidedBy = 'files' | 'flags' | 'online';

export interface Diagnostic {
  title: string;
  /** How the doctor decides it; empty = not decidable, see `undecidable`. */
  decidedBy: readonly DecidedBy[];
  undecidable?: string;
}

export const DIAGNOSTICS = {
  D01: { title: 'APIService False (ServiceNotFound): the Service is missing', decidedBy: ['online'] },
  D02: { title: 'APIService False (ServicePortError): APIService port is not a Service port', decidedBy: ['online'] },
  D03: { title: 'APIService False (EndpointsNotFound): no endpoints for the Service', decidedBy: ['online'] },
  D04: { title: 'APIService False (MissingEndpoints): no ready endpoint with the port name', decidedBy: ['online'] },
  D05: { title: 'FailedDiscoveryCheck timeout: the control plane cannot reach the backend', decidedBy: ['online'] },
  D06: { title: 'FailedDiscoveryCheck no route to host: routing mode vs network topology', decidedBy: ['online', 'flags'] },
  D07: { title: 'FailedDiscoveryCheck connection refused: backend not listening on targetPort', decidedBy: ['online'] },
  D08: { title: 'FailedDiscoveryCheck 401: the backend rejects the proxy client certificate', decidedBy: ['online', 'files'] },
  D09: { title: 'FailedDiscoveryCheck 403: the backend sees the request as anonymous', decidedBy: ['online', 'flags'] },
  D10: { title: 'FailedDiscoveryCheck 404: the backend does not serve the group/version', decidedBy: ['online'] },
  D11: { title: 'FailedDiscoveryCheck 500/503: the backend is unhealthy', decidedBy: ['online'] },
  D12: { title: 'backend serving certificate does not match caBundle or lacks the Service SAN', decidedBy: ['online'] },
  D13: { title: 'APIService caBundle is not valid PEM', decidedBy: ['online', 'files'] },
  D14: { title: 'APIService not Available: requests to it fail with 503', decidedBy: ['online'] },
  D15: { title: 'stale GroupVersion discovery (aggregated discovery)', decidedBy: ['online'] },
  D16: { title: 'an unavailable APIService blocks namespace deletion and GC', decidedBy: ['online'] },
  D17: { title: 'OpenAPI aggregation errors in the kube-apiserver log', decidedBy: [], undecidable: 'only visible in the kube-apiserver log; the cause is the APIService condition (D01–D14), reported instead' },
  D18: { title: 'backend cannot read extension-apiserver-authentication (RoleBinding in kube-system missing)', decidedBy: ['online'] },
  D19: { title: 'no requestheader CA: aggregation not enabled on kube-apiserver', decidedBy: ['flags', 'files', 'online'] },
  D20: { title: 'backend lacks system:auth-delegator (TokenReview/SubjectAccessReview forbidden)', decidedBy: ['online'] },
  D21: { title: 'kubelet serving certificates (metrics-server scraping)', decidedBy: [], undecidable: 'needs a TLS connection to every kubelet on :10250; not an aggregation setting' },
  D22: { title: '--client-ca-file and --requestheader-client-ca-file share a CA', decidedBy: ['flags', 'files', 'online'] },
  D23: { title: '--requestheader-allowed-names is empty (any CN of the CA may assert identities)', decidedBy: ['flags', 'online'] },
  D24: { title: 'allowed names lack the proxy client certificate CN', decidedBy: ['flags', 'files', 'online'] },
  D25: { title: 'proxy client certificate unusable (chain, key, clientAuth, validity)', decidedBy: ['files'] },
  D26: { title: 'custom requestheader header names without the standard X-Remote-* names', decidedBy: ['flags', 'online'] },
  D27: { title: 'headless Service with cluster routing', decidedBy: ['online'] },
  D28: { title: 'ExternalName Service with --enable-aggregator-routing=true', decidedBy: ['online'] },
  D29: { title: 'backend answered with a redirect (502)', decidedBy: ['online'] },
  D30: { title: 'backend did not upgrade (exec/port-forward 503)', decidedBy: [], undecidable: 'needs an upgrade request (exec/attach/port-forward) against a backend resource the doctor cannot guess' },
  D31: { title: 'stale kubectl discovery cache after installing a backend', decidedBy: [], undecidable: 'lives in the client\'s disk cache (~/.kube/cache), not in the cluster; run `kubectl api-resources --cached=false`' },
  D32: { title: 'APIService manifest fails validation', decidedBy: ['files'] },
  D33: { title: 'remote APIService shadows a built-in or CRD group/version', decidedBy: ['online'] },
  D34: { title: 'readyz autoregister-completion failing (missing APIService)', decidedBy: ['online'] },
  X01: { title: 'kube-apiserver serving certificate lacks the advertise address or the first service IP', decidedBy: ['flags', 'files'] },
  X02: { title: 'a certificate or key file named by a flag is missing, unreadable, mismatched or expiring', decidedBy: ['flags', 'files'] },
  X03: { title: 'the extension-apiserver-authentication ConfigMap disagrees with the flags', decidedBy: ['online', 'flags', 'files'] },
  X04: { title: 'static pod: a file named by a flag is outside every volume mounted into the container', decidedBy: ['flags', 'files', 'online'] },
} as const satisfies Record<string, Diagnostic>;

export type DiagnosticId = keyof typeof DIAGNOSTICS;

export const DIAGNOSTIC_IDS = Object.keys(DIAGNOSTICS) as DiagnosticId[];
