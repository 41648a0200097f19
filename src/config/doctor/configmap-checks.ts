// Online: kube-system/extension-apiserver-authentication, what extension servers actually
// trust (D09, D19, D22, D23, D26), compared with kube-apiserver's flags and the proxy
// client certificate when those are given (X03, D08, D24).
import type { X509Certificate } from 'node:crypto';
import { commonName, describeSubject, issuerProblem, parseCertificates } from '../cert-files.ts';
import { AGGREGATION_FLAGS as F, APISERVER_FLAGS, STANDARD_HEADERS } from '../flags.ts';
import { AUTH_CONFIGMAP, type ClusterState } from './cluster-state.ts';
import { sharedCaFinding } from './requestheader-checks.ts';
import type { Check, DoctorContext, Finding } from './types.ts';

export const CONFIGMAP_KEYS = {
  clientCa: 'client-ca-file',
  requestheaderCa: 'requestheader-client-ca-file',
  allowedNames: 'requestheader-allowed-names',
  usernameHeaders: 'requestheader-username-headers',
  groupHeaders: 'requestheader-group-headers',
  extraHeadersPrefix: 'requestheader-extra-headers-prefix',
  uidHeaders: 'requestheader-uid-headers',
} as const;

const CM = `configmap/${AUTH_CONFIGMAP.name} in ${AUTH_CONFIGMAP.namespace}`;

export const configMapChecks: Check = {
  name: 'extension-apiserver-authentication ConfigMap',
  ids: ['D08', 'D09', 'D19', 'D22', 'D23', 'D24', 'D26', 'X03'],
  needs: ['online'],
  async run(ctx) {
    const cluster = ctx.cluster as ClusterState;
    const fetched = cluster.authConfigMap;
    if (!fetched.ok) {
      return [{ id: 'D19', severity: 'warning', subject: CM, summary: `cannot read ${CM}: ${fetched.error}`, why: 'what extension servers trust for proxied requests could not be checked', fix: 'use a kubeconfig that may get configmaps in kube-system (e.g. admin.conf)' }];
    }
    if (fetched.value === null) {
      return [{ id: 'D19', severity: 'error', subject: CM, summary: `${CM} does not exist`, why: 'extension servers read the requestheader CA and header names from it; without it they accept no proxied identity (or refuse to start)', fix: `start kube-apiserver with ${F.requestheaderClientCaFile} and ${APISERVER_FLAGS.clientCaFile}; its cluster-authentication-trust controller recreates the ConfigMap within a minute` }];
    }
    const data = fetched.value.data ?? {};
    const out: Finding[] = [];
    const rhPem = data[CONFIGMAP_KEYS.requestheaderCa] ?? '';
    const rhCas = parseCertificates(rhPem);
    if (rhCas.length === 0) {
      out.push({ id: 'D19', severity: 'error', subject: CM, summary: `${CM} has no ${CONFIGMAP_KEYS.requestheaderCa}${rhPem ? ' certificate that parses' : ''}`, why: 'kube-apiserver was not started with --requestheader-client-ca-file (aggregation not enabled); extension servers log missing content for CA bundle "client-ca::kube-system::extension-apiserver-authentication::requestheader-client-ca-file" and treat proxied requests as anonymous', fix: `enable aggregation on kube-apiserver: \`kagg apiserver enable-aggregation --manifest <kube-apiserver.yaml> --cert-dir <pki>\`` });
    }
    const lists: Record<string, string[] | undefined> = {};
    for (const key of [CONFIGMAP_KEYS.allowedNames, CONFIGMAP_KEYS.usernameHeaders, CONFIGMAP_KEYS.groupHeaders, CONFIGMAP_KEYS.extraHeadersPrefix, CONFIGMAP_KEYS.uidHeaders]) {
      const raw = data[key];
      if (raw === undefined) continue;
      try {
        const v: unknown = JSON.parse(raw);
        if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error('not a JSON string array');
        lists[key] = v;
      } catch (err) {
        out.push({ id: 'X03', severity: 'error', subject: CM, summary: `${CM} key ${key} is not a JSON string array: ${JSON.stringify(raw).slice(0, 80)} (${(err as Error).message})`, why: 'extension servers fail to sync the ConfigMap and keep stale (or no) requestheader settings', fix: `delete the ConfigMap (kubectl -n kube-system delete configmap ${AUTH_CONFIGMAP.name}); kube-apiserver rebuilds it within a minute` });
      }
    }
    if (rhCas.length > 0) {
      const users = lists[CONFIGMAP_KEYS.usernameHeaders] ?? [];
      if (users.length === 0) {
        out.push({ id: 'D09', severity: 'error', subject: CM, summary: `${CM} has ${CONFIGMAP_KEYS.usernameHeaders}: '[]'`, why: 'extension servers take the header lists from the ConfigMap without defaults: with no username header they never find a user, so every proxied request is anonymous (FailedDiscoveryCheck … 403)', fix: `start kube-apiserver with ${F.requestheaderUsernameHeaders}=${STANDARD_HEADERS.username} (the publisher then adds it)` });
      }
      const std: Array<[string, string]> = [[CONFIGMAP_KEYS.usernameHeaders, STANDARD_HEADERS.username], [CONFIGMAP_KEYS.groupHeaders, STANDARD_HEADERS.group], [CONFIGMAP_KEYS.extraHeadersPrefix, STANDARD_HEADERS.extraPrefix]];
      for (const [key, standard] of std) {
        const list = lists[key] ?? [];
        if (key === CONFIGMAP_KEYS.usernameHeaders && list.length === 0) continue;
        if (!list.some((h) => h.toLowerCase() === standard.toLowerCase())) {
          out.push({ id: 'D26', severity: 'warning', subject: CM, summary: `${CM} ${key} is ${JSON.stringify(list)}, without the standard ${standard}`, why: `the aggregator always sends ${standard}; extension servers look only for the published names and lose that information`, fix: `start kube-apiserver with --${key}=${standard}` });
        }
      }
      const allowed = lists[CONFIGMAP_KEYS.allowedNames] ?? [];
      if (allowed.length === 0) {
        out.push({ id: 'D23', severity: 'warning', subject: CM, summary: `${CM} has ${CONFIGMAP_KEYS.allowedNames}: '[]' (any CN)`, why: 'extension servers accept headers from any client certificate signed by the requestheader CA', fix: `start kube-apiserver with ${F.requestheaderAllowedNames}=<CN of the proxy client certificate>` });
      }
      const clientCas = parseCertificates(data[CONFIGMAP_KEYS.clientCa] ?? '');
      const common = clientCas.find((c) => rhCas.some((r) => r.raw.equals(c.raw)));
      if (common) out.push(sharedCaFinding(`${CM}: ${CONFIGMAP_KEYS.clientCa} and ${CONFIGMAP_KEYS.requestheaderCa} both contain ${describeSubject(common)}`, allowed));
    }
    if (ctx.flags) out.push(...(await compareWithFlags(ctx, rhCas, lists)));
    return out;
  },
};

async function compareWithFlags(ctx: DoctorContext, rhCas: X509Certificate[], lists: Record<string, string[] | undefined>): Promise<Finding[]> {
  const flags = ctx.flags;
  if (!flags) return [];
  const out: Finding[] = [];
  const caFlag = flags.get(F.requestheaderClientCaFile);
  if (caFlag) {
    const loaded = await ctx.certificates(caFlag);
    if (loaded.ok) {
      const missing = loaded.value.filter((c) => !rhCas.some((r) => r.raw.equals(c.raw)));
      for (const c of missing) {
        out.push({ id: 'X03', severity: 'error', subject: CM, summary: `${CM} ${CONFIGMAP_KEYS.requestheaderCa} lacks ${describeSubject(c)} from ${F.requestheaderClientCaFile}=${caFlag}`, why: 'extension servers trust only the published bundle; a proxy client certificate from this CA is rejected (FailedDiscoveryCheck … 401) until kube-apiserver with these flags has published it', fix: 'restart kube-apiserver with these flags (the publisher merges its CA within a minute); if it runs, check its log for cluster_authentication_trust_controller errors' });
      }
      const extra = rhCas.filter((r) => !loaded.value.some((c) => c.raw.equals(r.raw)));
      if (extra.length > 0) {
        out.push({ id: 'X03', severity: 'info', subject: CM, summary: `${CM} ${CONFIGMAP_KEYS.requestheaderCa} also holds ${extra.map(describeSubject).join('; ')}, not in ${caFlag}`, why: 'the publisher keeps the union of every kube-apiserver\'s CAs (until they expire); an old CA stays trusted by extension servers', fix: `if no kube-apiserver uses it any more: kubectl -n kube-system delete configmap ${AUTH_CONFIGMAP.name} (rebuilt from the running servers within a minute)` });
      }
    }
  }
  const pairs: Array<[string, string]> = [[F.requestheaderAllowedNames, CONFIGMAP_KEYS.allowedNames], [F.requestheaderUsernameHeaders, CONFIGMAP_KEYS.usernameHeaders], [F.requestheaderGroupHeaders, CONFIGMAP_KEYS.groupHeaders], [F.requestheaderExtraHeadersPrefix, CONFIGMAP_KEYS.extraHeadersPrefix]];
  for (const [flag, key] of pairs) {
    const fromFlags = flags.list(flag) ?? [];
    const published = lists[key] ?? [];
    const missing = fromFlags.filter((v) => !published.includes(v));
    if (caFlag && missing.length > 0) {
      out.push({ id: 'X03', severity: flag === F.requestheaderAllowedNames ? 'error' : 'warning', subject: CM, summary: `${CM} ${key}=${JSON.stringify(published)} lacks ${missing.join(', ')} from ${flag}`, why: 'extension servers use the published values, not kube-apiserver\'s flags: the proxy (or its headers) is not accepted as configured', fix: 'restart kube-apiserver with these flags so it publishes them; check its log if it runs' });
    }
  }
  const certFlag = flags.get(F.proxyClientCertFile);
  if (certFlag && rhCas.length > 0) {
    const cert = await ctx.certificates(certFlag);
    if (cert.ok) {
      const client = cert.value[0];
      if (issuerProblem(client, rhCas, cert.value.slice(1))) {
        out.push({ id: 'D08', severity: 'error', subject: cert.path, summary: `${certFlag} (${describeSubject(client)}) is not signed by any CA in ${CM} ${CONFIGMAP_KEYS.requestheaderCa}`, why: 'extension servers reject the proxy client certificate: x509: certificate signed by unknown authority → FailedDiscoveryCheck … 401', fix: `issue the proxy client certificate from the published requestheader CA, or start kube-apiserver with ${F.requestheaderClientCaFile} naming the CA that signed it` });
      }
      const cn = commonName(client);
      const allowed = lists[CONFIGMAP_KEYS.allowedNames] ?? [];
      if (allowed.length > 0 && (!cn || !allowed.includes(cn))) {
        out.push({ id: 'D24', severity: 'error', subject: CM, summary: `${CM} ${CONFIGMAP_KEYS.allowedNames}=${JSON.stringify(allowed)} lacks the CN ${JSON.stringify(cn ?? '')} of ${certFlag}`, why: `extension servers reject it: x509: subject with cn=${cn ?? ''} is not in the allowed list → FailedDiscoveryCheck … 401`, fix: `start kube-apiserver with ${F.requestheaderAllowedNames}=${cn ?? '<CN>'}` });
      }
    }
  }
  return out;
}
