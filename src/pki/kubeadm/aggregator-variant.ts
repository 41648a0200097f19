// The seed article's aggregator layout (cfssl JSON in spec/pki-golden/cfssl/inputs/):
// aggregator-ca.pem / aggregator-ca-key.pem and aggregator.pem / aggregator-key.pem, made
// with cfssl's conventions (engine defaults: 20-byte serials, minute-rounded notBefore − 5m,
// SKI on both, hash by signer size). Unlike that cfssl build, the leaf carries an AKI even
// though its subject equals the CA's, so `openssl verify` accepts the chain.
import type { Subject } from '../names.ts';
import { createSelfSignedCA, signCertificate } from '../sign.ts';
import { resolveCfsslUsages } from '../usages.ts';
import { firstServiceIp, type AltNames } from './san.ts';
import type { ResolvedTreeConfig } from './tree-config.ts';
import type { CaEntry, LeafEntry } from './tree-entries.ts';

/** `names[0]` of the seed's CSR JSON files, plus CN. Both certificates use it. */
export const AGGREGATOR_SUBJECT: Subject = { C: 'CN', ST: 'BeiJing', L: 'BeiJing', O: 'k8s', OU: 'System', CN: 'aggregator' };

/** The seed's `aggregator-ca-config.json` profile and `ca.expiry`. */
export const AGGREGATOR_PROFILE = {
  usages: ['signing', 'key encipherment', 'server auth', 'client auth'],
  expiry: '87600h',
  caExpiry: '87600h',
} as const;

export const AGGREGATOR_FILES = {
  caCert: 'aggregator-ca.pem',
  caKey: 'aggregator-ca-key.pem',
  cert: 'aggregator.pem',
  key: 'aggregator-key.pem',
} as const;

/**
 * The seed's `hosts`, with its master IP (10.53.5.94) replaced by the advertise address:
 * 127.0.0.1, advertise address, service VIP, kubernetes, kubernetes.default,
 * kubernetes.default.svc, then `kubernetes.default.svc.` + each prefix of the DNS domain
 * (`cluster`, `cluster.local`). cfssl writes DNS names first, each kind in input order.
 */
export function aggregatorHosts(config: Pick<ResolvedTreeConfig, 'advertiseAddress' | 'serviceCidr' | 'dnsDomain'>): AltNames {
  const labels = config.dnsDomain.split('.');
  const domains = labels.map((_, i) => `kubernetes.default.svc.${labels.slice(0, i + 1).join('.')}`);
  const ips = [...new Set(['127.0.0.1', config.advertiseAddress, firstServiceIp(config.serviceCidr)])];
  return { dns: ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', ...domains], ips };
}

export function aggregatorEntries(config: ResolvedTreeConfig, now: Date): { ca: CaEntry; leaf: LeafEntry } {
  const hosts = aggregatorHosts(config);
  const usages = resolveCfsslUsages(AGGREGATOR_PROFILE.usages);
  const ca: CaEntry = {
    id: 'aggregator-ca',
    label: 'aggregator-ca',
    certFile: AGGREGATOR_FILES.caCert,
    keyFile: AGGREGATOR_FILES.caKey,
    issue: (key) => createSelfSignedCA({ key, subject: AGGREGATOR_SUBJECT, expiry: AGGREGATOR_PROFILE.caExpiry, now }),
  };
  const leaf: LeafEntry = {
    id: 'aggregator',
    label: 'aggregator',
    certFile: AGGREGATOR_FILES.cert,
    keyFile: AGGREGATOR_FILES.key,
    caId: 'aggregator-ca',
    expected: hosts,
    serving: true,
    issue: (caPair, key) =>
      signCertificate({
        ca: caPair,
        publicKey: key,
        subject: AGGREGATOR_SUBJECT,
        sans: { dns: hosts.dns, ip: hosts.ips },
        keyUsage: usages.keyUsage,
        extKeyUsage: usages.extKeyUsage,
        expiry: AGGREGATOR_PROFILE.expiry,
        now,
      }),
  };
  return { ca, leaf };
}
