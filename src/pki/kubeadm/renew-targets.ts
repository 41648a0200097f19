// What `kagg certs renew` can renew, by name: the leaves and the kubeconfig client certs
// (data only, so the CLI can list the names without loading the signing code).
import { KUBEADM_KUBECONFIGS, KUBEADM_LEAVES, pairFiles, type CaName } from './cert-list.ts';

export interface RenewTarget {
  name: string;
  longName: string;
  ca: CaName;
  kind: 'leaf' | 'kubeconfig';
  /** `.crt` path (leaf) or kubeconfig file name. */
  file: string;
  keyFile?: string;
}

export const RENEW_TARGETS: readonly RenewTarget[] = [
  ...KUBEADM_LEAVES.map((l): RenewTarget => ({ name: l.name, longName: l.longName, ca: l.ca, kind: 'leaf', file: pairFiles(l.baseName).cert, keyFile: pairFiles(l.baseName).key })),
  ...KUBEADM_KUBECONFIGS.map((k): RenewTarget => ({ name: k.file, longName: k.longName, ca: 'ca', kind: 'kubeconfig', file: k.file })),
].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));

/** Names `renew` accepts besides `all`, in the order `all` processes them. */
export const RENEWABLE_NAMES: readonly string[] = RENEW_TARGETS.map((t) => t.name);
