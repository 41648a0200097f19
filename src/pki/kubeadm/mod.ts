// The kubeadm control-plane PKI: the tree as data, `certs init`, check-expiration, renew,
// verify, tree, and kubeconfigs. Only re-exports.
export {
  FILE_MODES,
  KEY_ALGORITHMS,
  KUBEADM_CAS,
  KUBEADM_KUBECONFIGS,
  KUBEADM_LEAVES,
  KUBEADM_PHASE_ORDER,
  NODE_NAME_CN,
  SERVICE_ACCOUNT_KEY,
  VALIDITY,
  isKeyAlgorithmName,
  pairFiles,
  type CaName,
  type KeyAlgorithmName,
  type KubeconfigKind,
  type LeafName,
} from './cert-list.ts';
export { apiserverAltNames, etcdAltNames, firstServiceIp, type AltNames, type SanConfig } from './san.ts';
export { resolveTreeConfig, type ResolvedTreeConfig, type TreeOptions } from './tree-config.ts';
export { initCertTree, type InitCertTreeOptions, type InitCertTreeReport } from './init-tree.ts';
export { AGGREGATOR_FILES, AGGREGATOR_SUBJECT, aggregatorHosts } from './aggregator-variant.ts';
export { checkExpiration, type CheckExpirationOptions } from './check-expiration.ts';
export { formatExpirationJson, formatExpirationTable, formatExpires, type ExpirationEntry, type ExpirationInfo } from './expiration-table.ts';
export { RENEWABLE_NAMES, RENEW_DONE_MESSAGE, renewCertificates, type RenewOptions, type RenewReport, type RenewResult } from './renew.ts';
export { formatFinding, verifyTree, type VerifyFinding, type VerifyOptions, type VerifyReport } from './verify.ts';
export { buildCertTree, formatCertTree, type CertTree, type CertTreeNode, type CertTreeOptions } from './tree-view.ts';
export { buildKubeconfig, parseKubeconfig, replaceClientCredentials, type KubeconfigCredentials, type KubeconfigInput } from './kubeconfig.ts';
export { issueKubeconfig, loadClusterCa, writeKubeconfigFile, type KubeconfigFileResult, type KubeconfigOptions } from './kubeconfig-issue.ts';
export { defaultKubeconfigDir } from './cert-status.ts';
export { CertTreeError } from './errors.ts';
