// Options of `kagg certs init` resolved to the values kubeadm would use.
import { hostname } from 'node:os';
import { isKeyAlgorithmName, type KeyAlgorithmName } from './cert-list.ts';
import { defaultAdvertiseAddress } from './advertise-address.ts';
import { DEFAULT_DNS_DOMAIN, DEFAULT_SERVICE_CIDR, canonicalIp, controlPlaneEndpointHost, firstServiceIp, isDns1123Subdomain, normalizeNodeName, type SanConfig } from './san.ts';

export interface TreeOptions {
  /** Default: the OS host name (trimmed, lower-cased). */
  nodeName?: string;
  /** Default: the IPv4 address of the default-route interface. */
  advertiseAddress?: string;
  /** Default 10.96.0.0/12. */
  serviceCidr?: string;
  /** Default cluster.local. */
  dnsDomain?: string;
  apiserverCertSans?: readonly string[];
  controlPlaneEndpoint?: string;
  etcdServerCertSans?: readonly string[];
  etcdPeerCertSans?: readonly string[];
  /** Default rsa2048. */
  keyAlgorithm?: KeyAlgorithmName;
  /** etcd runs elsewhere with its own PKI: no etcd CA, no etcd leaves, no apiserver-etcd-client. */
  externalEtcd?: boolean;
}

export interface ResolvedTreeConfig extends SanConfig {
  keyAlgorithm: KeyAlgorithmName;
  externalEtcd: boolean;
}

export function resolveTreeConfig(options: TreeOptions): Readonly<ResolvedTreeConfig> {
  const keyAlgorithm = options.keyAlgorithm ?? 'rsa2048';
  if (!isKeyAlgorithmName(keyAlgorithm)) throw new Error(`unknown key algorithm "${String(keyAlgorithm)}" (use rsa2048, rsa3072, rsa4096 or ecdsa-p256)`);
  const nodeName = normalizeNodeName(options.nodeName ?? hostname());
  if (nodeName === '') throw new Error('the node name is empty; pass --node-name');
  const advertise = options.advertiseAddress ?? defaultAdvertiseAddress();
  const advertiseAddress = canonicalIp(advertise);
  if (!advertiseAddress) throw new Error(`invalid advertise address "${advertise}": not an IP address`);
  const serviceCidr = options.serviceCidr ?? DEFAULT_SERVICE_CIDR;
  firstServiceIp(serviceCidr); // validates
  const dnsDomain = options.dnsDomain ?? DEFAULT_DNS_DOMAIN;
  if (!isDns1123Subdomain(dnsDomain)) throw new Error(`invalid DNS domain "${dnsDomain}": expected a lower-case RFC 1123 name such as cluster.local`);
  if (options.controlPlaneEndpoint) controlPlaneEndpointHost(options.controlPlaneEndpoint); // validates
  return Object.freeze({
    nodeName,
    advertiseAddress,
    serviceCidr,
    dnsDomain,
    ...(options.controlPlaneEndpoint ? { controlPlaneEndpoint: options.controlPlaneEndpoint } : {}),
    apiserverCertSans: [...(options.apiserverCertSans ?? [])],
    etcdServerCertSans: [...(options.etcdServerCertSans ?? [])],
    etcdPeerCertSans: [...(options.etcdPeerCertSans ?? [])],
    keyAlgorithm,
    externalEtcd: options.externalEtcd === true,
  });
}
