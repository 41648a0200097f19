// Kubeconfig files with embedded credentials, laid out as kubeadm writes them (client-go's
// clientcmd: keys in sorted order, `preferences: {}`), and the edits renewal needs.
import { isMap, isSeq, parseDocument, stringify } from 'yaml';

export interface KubeconfigInput {
  /** `https://host:port`. */
  server: string;
  /** PEM of the cluster CA (`ca.crt`). */
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  /** User name, by kubeadm's convention the client certificate's CN. */
  user: string;
  /** Cluster name; default `kubernetes`. */
  cluster?: string;
}

export interface KubeconfigCredentials {
  server: string;
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  user: string;
  cluster: string;
  context: string;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

/** One cluster, one user, one context `<user>@<cluster>`, selected as current. */
export function buildKubeconfig(input: KubeconfigInput): string {
  const cluster = input.cluster ?? 'kubernetes';
  const context = `${input.user}@${cluster}`;
  const doc = {
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': b64(input.caPem), server: input.server }, name: cluster }],
    contexts: [{ context: { cluster, user: input.user }, name: context }],
    'current-context': context,
    kind: 'Config',
    preferences: {},
    users: [{ name: input.user, user: { 'client-certificate-data': b64(input.clientCertPem), 'client-key-data': b64(input.clientKeyPem) } }],
  };
  return stringify(doc, { indentSeq: false, lineWidth: 0 });
}

/** The current context's server, CA and embedded client credentials; throws naming what is missing. */
export function parseKubeconfig(text: string): KubeconfigCredentials {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`not valid YAML: ${doc.errors[0].message}`);
  const root: unknown = doc.toJS();
  if (!isRecord(root)) throw new Error('not a kubeconfig: the document is not a mapping');
  const contextName = str(root['current-context']);
  const contexts = list(root.contexts);
  const ctx = contexts.find((c) => c.name === contextName) ?? contexts[0];
  if (!ctx || !isRecord(ctx.context)) throw new Error('not a kubeconfig: no context');
  const clusterName = str(ctx.context.cluster);
  const userName = str(ctx.context.user);
  const cluster = list(root.clusters).find((c) => c.name === clusterName);
  const user = list(root.users).find((u) => u.name === userName);
  if (!cluster || !isRecord(cluster.cluster)) throw new Error(`cluster "${clusterName}" of context "${str(ctx.name)}" not found`);
  if (!user || !isRecord(user.user)) throw new Error(`user "${userName}" of context "${str(ctx.name)}" not found`);
  const certData = str(user.user['client-certificate-data']);
  const keyData = str(user.user['client-key-data']);
  if (!certData || !keyData) throw new Error(`user "${userName}" has no embedded client-certificate-data/client-key-data`);
  return {
    server: str(cluster.cluster.server),
    caPem: unb64(str(cluster.cluster['certificate-authority-data'])),
    clientCertPem: unb64(certData),
    clientKeyPem: unb64(keyData),
    user: userName,
    cluster: clusterName,
    context: str(ctx.name),
  };
}

/**
 * Replaces the current user's `client-certificate-data` and `client-key-data` (renewal),
 * keeping every other entry, comment and key order of the file.
 */
export function replaceClientCredentials(text: string, certPem: string, keyPem: string): string {
  const current = parseKubeconfig(text);
  const doc = parseDocument(text);
  const users = doc.get('users');
  if (!isSeq(users)) throw new Error('not a kubeconfig: no users list');
  const index = users.items.findIndex((item) => isMap(item) && item.get('name') === current.user);
  if (index < 0) throw new Error(`user "${current.user}" not found`);
  doc.setIn(['users', index, 'user', 'client-certificate-data'], b64(certPem));
  doc.setIn(['users', index, 'user', 'client-key-data'], b64(keyPem));
  return doc.toString({ indentSeq: false, lineWidth: 0 });
}

type Rec = Record<string, unknown>;

function isRecord(value: unknown): value is Rec {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): Rec[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
