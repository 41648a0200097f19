// The files `kagg certs init` manages, as entries the planner (init-tree.ts) treats alike:
// roots and leaves of the kubeadm tree, and the seed article's aggregator variant.
import type { IssuedCertificate, PrivateKey } from '../mod.ts';
import { NODE_NAME_CN, VALIDITY, pairFiles, treeCas, treeLeaves } from './cert-list.ts';
import { issueKubeadmCa, issueKubeadmLeaf, kubeadmValidity } from './issue.ts';
import { apiserverAltNames, etcdAltNames, type AltNames } from './san.ts';
import type { ResolvedTreeConfig } from './tree-config.ts';

export interface CaEntry {
  /** Name other entries use to point at this CA (`ca`, `etcd-ca`, `aggregator-ca`). */
  id: string;
  /** Name in log lines (`ca`, `etcd/ca`). */
  label: string;
  certFile: string;
  keyFile: string;
  issue(key: PrivateKey): Promise<IssuedCertificate>;
}

export interface LeafEntry {
  id: string;
  label: string;
  certFile: string;
  keyFile: string;
  caId: string;
  /** SANs an existing certificate must cover to be reused. */
  expected: AltNames;
  /** Printed after generation for serving certificates. */
  serving: boolean;
  issue(ca: { cert: string; key: PrivateKey }, key: PrivateKey): Promise<IssuedCertificate>;
}

export interface TreeEntries {
  cas: CaEntry[];
  leaves: LeafEntry[];
  /** Phase order for log lines: CA ids and leaf ids interleaved. */
  order: string[];
  warnings: string[];
}

/** Every CA and leaf of the kubeadm tree for `config`, with validity from the run's start `now`. */
export function kubeadmEntries(config: ResolvedTreeConfig, now: Date): TreeEntries {
  const caValidity = kubeadmValidity(now, VALIDITY.caHours);
  const leafValidity = kubeadmValidity(now, VALIDITY.leafHours);
  const warnings: string[] = [];
  const cas = treeCas(config.externalEtcd).map((spec): CaEntry => ({
    id: spec.name,
    label: spec.baseName,
    ...fileNames(spec.baseName),
    issue: (key) => issueKubeadmCa(key, spec.cn, caValidity),
  }));
  const leaves = treeLeaves(config.externalEtcd).map((spec): LeafEntry => {
    let sans: AltNames = { dns: [], ips: [] };
    if (spec.sans === 'apiserver' || spec.sans === 'etcd-server' || spec.sans === 'etcd-peer') {
      const result = spec.sans === 'apiserver' ? apiserverAltNames(config) : etcdAltNames(config, spec.sans);
      warnings.push(...result.warnings);
      sans = { dns: result.dns, ips: result.ips };
    }
    const cn = spec.cn === NODE_NAME_CN ? config.nodeName : spec.cn;
    return {
      id: spec.name,
      label: spec.baseName,
      ...fileNames(spec.baseName),
      caId: spec.ca,
      expected: sans,
      serving: (spec.extKeyUsages as readonly string[]).includes('serverAuth'),
      issue: (ca, key) => issueKubeadmLeaf({ ca, key, cn, organizations: spec.organizations, dns: sans.dns, ips: sans.ips, extKeyUsages: spec.extKeyUsages, validity: leafValidity }),
    };
  });
  const order = ['ca', 'apiserver', 'apiserver-kubelet-client', 'front-proxy-ca', 'front-proxy-client', 'etcd-ca', 'etcd-server', 'etcd-peer', 'etcd-healthcheck-client', 'apiserver-etcd-client'];
  return { cas, leaves, order, warnings };
}

function fileNames(baseName: string): { certFile: string; keyFile: string } {
  const { cert, key } = pairFiles(baseName);
  return { certFile: cert, keyFile: key };
}
