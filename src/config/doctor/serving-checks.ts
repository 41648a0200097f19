// kube-apiserver's own certificates (X01, X02): extension servers call back to kube-apiserver
// (TokenReview, SubjectAccessReview, the ConfigMap) through the `kubernetes` Service, so its
// serving certificate must carry the first service IP and the advertise address.
import { isIP } from 'node:net';
import { describeSubject, sanDNSNames, sanIPs } from '../cert-files.ts';
import { APISERVER_FLAGS as A, type ApiserverFlags } from '../flags.ts';
import { expiry } from './requestheader-checks.ts';
import type { Check, Finding } from './types.ts';

export const servingChecks: Check = {
  name: 'kube-apiserver certificates',
  ids: ['X01', 'X02'],
  needs: ['flags', 'files'],
  async run(ctx) {
    const flags = ctx.flags as ApiserverFlags;
    const out: Finding[] = [];
    const clientCa = flags.get(A.clientCaFile);
    if (clientCa) {
      const ca = await ctx.certificates(clientCa);
      if (!ca.ok) out.push(x02('error', ca.path, `${A.clientCaFile}: ${ca.error.message}`, 'kube-apiserver does not start; no client-ca-file is published for extension servers', `point ${A.clientCaFile} at the cluster CA (kubeadm: ca.crt)`));
      else for (const c of ca.value) out.push(...expiry(ctx, c, ca.path, 'X02', 'the client CA', 'client certificates stop verifying, including the ones extension servers receive from the cluster', 'renew the cluster CA (`kagg certs renew ca`) and re-issue the client certificates'));
    }
    const certFlag = flags.get(A.tlsCertFile);
    if (!certFlag) return out;
    const cert = await ctx.certificates(certFlag);
    if (!cert.ok) {
      out.push(x02('error', cert.path, `${A.tlsCertFile}: ${cert.error.message}`, 'kube-apiserver does not start without its serving certificate', `write it (\`kagg certs init --cert-dir DIR\`) or fix ${A.tlsCertFile}`));
      return out;
    }
    const serving = cert.value[0];
    const keyFlag = flags.get(A.tlsPrivateKeyFile);
    if (keyFlag) {
      const key = await ctx.privateKey(keyFlag);
      if (!key.ok) out.push(x02('error', key.path, `${A.tlsPrivateKeyFile}: ${key.error.message}`, 'kube-apiserver does not start without its serving key', `point ${A.tlsPrivateKeyFile} at the key of ${certFlag}`));
      else if (!serving.checkPrivateKey(key.value)) out.push(x02('error', key.path, `${keyFlag} is not the private key of ${certFlag}`, 'kube-apiserver refuses a mismatched serving pair', `point ${A.tlsPrivateKeyFile} at the key of ${certFlag}, or re-issue both (\`kagg certs renew apiserver\`)`));
    }
    out.push(...expiry(ctx, serving, cert.path, 'X02', 'the kube-apiserver serving certificate', 'clients and extension servers (TokenReview/SubjectAccessReview callbacks) stop trusting kube-apiserver', 'renew it (`kagg certs renew apiserver`) and restart kube-apiserver'));

    const ips = sanIPs(serving).map(normalizeIp);
    const dns = sanDNSNames(serving);
    const required: Array<[string, string]> = [];
    const advertise = flags.get(A.advertiseAddress);
    if (advertise && isIP(advertise) && !isUnspecified(advertise)) required.push([advertise, `${A.advertiseAddress}`]);
    const range = flags.get(A.serviceClusterIpRange)?.split(',')[0]?.trim();
    const first = range ? firstServiceIp(range) : undefined;
    if (first) required.push([first, `the first IP of ${A.serviceClusterIpRange}=${range} (the kubernetes Service ClusterIP)`]);
    for (const [ip, what] of required) {
      if (!ips.includes(normalizeIp(ip))) {
        out.push({
          id: 'X01', severity: 'error', subject: cert.path,
          summary: `${certFlag} (${describeSubject(serving)}) has no IP SAN ${ip} (${what}); it has ${ips.join(', ') || 'no IP SANs'}`,
          why: 'extension servers reach kube-apiserver for TokenReview, SubjectAccessReview and the extension-apiserver-authentication ConfigMap through the kubernetes Service (its ClusterIP, endpoints at the advertise address) and verify the serving certificate: x509: certificate is valid for …, not ' + ip + '; their requests fail and they answer 401/403 or crash at start',
          fix: `re-issue the serving certificate with IP SAN ${ip} (\`kagg certs init --cert-dir DIR --advertise-address ${advertise ?? '<ip>'} --service-cidr ${range ?? '<cidr>'}\` after removing apiserver.crt/.key), then restart kube-apiserver`,
        });
      }
    }
    for (const name of ['kubernetes.default.svc']) {
      if (!dns.includes(name)) {
        out.push({
          id: 'X01', severity: 'warning', subject: cert.path,
          summary: `${certFlag} has no DNS SAN ${name}`,
          why: 'in-cluster clients that address kube-apiserver by name (including extension servers configured with a host name) fail TLS verification',
          fix: 'add the DNS SANs kubernetes, kubernetes.default, kubernetes.default.svc, kubernetes.default.svc.<dns domain> when re-issuing (`kagg certs init` does)',
        });
      }
    }
    return out;
  },
};

function x02(severity: Finding['severity'], subject: string, summary: string, why: string, fix: string): Finding {
  return { id: 'X02', severity, subject, summary, why, fix };
}

function isUnspecified(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::';
}

/** The network address + 1 of an IPv4 or IPv6 CIDR (kube-apiserver's kubernetes Service IP). */
export function firstServiceIp(cidr: string): string | undefined {
  const [addr, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (isIP(addr) === 4 && bits >= 0 && bits <= 32) {
    const n = addr.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
    const mask = bits === 0 ? 0n : ((1n << 32n) - 1n) ^ ((1n << BigInt(32 - bits)) - 1n);
    const first = (n & mask) + 1n;
    return [24n, 16n, 8n, 0n].map((s) => String((first >> s) & 255n)).join('.');
  }
  if (isIP(addr) === 6 && bits >= 0 && bits <= 128) {
    const n = ipv6ToBigInt(addr);
    const mask = bits === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - bits)) - 1n);
    return bigIntToIpv6((n & mask) + 1n);
  }
  return undefined;
}

function ipv6ToBigInt(addr: string): bigint {
  const [head, tail] = addr.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
}

function bigIntToIpv6(n: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((n >> BigInt((7 - i) * 16)) & 0xffffn).toString(16));
  return normalizeIp(groups.join(':'));
}

/** Canonical text of an IP (IPv6 compressed, lower case) so SAN comparison is exact. */
export function normalizeIp(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  return new URL(`http://[${ip}]/`).hostname.replace(/^\[|\]$/g, '');
}
