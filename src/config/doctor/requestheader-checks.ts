// Offline checks of the front-proxy (requestheader) setup: the flags (D09, D19, D23, D26)
// and the files they name (D19, D22, D24, D25).
import type { X509Certificate } from 'node:crypto';
import { allowsExtKeyUsage, commonName, describeSubject, EKU_CLIENT_AUTH, issuerProblem, notAfter, notBefore } from '../cert-files.ts';
import { AGGREGATION_FLAGS as F, APISERVER_FLAGS, STANDARD_HEADERS, type ApiserverFlags } from '../flags.ts';
import type { Check, DoctorContext, Finding } from './types.ts';

export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

const ENABLE_HINT = 'or let kagg set all seven flags: `kagg apiserver enable-aggregation --manifest <file> --cert-dir /etc/kubernetes/pki`';

export const requestheaderFlagChecks: Check = {
  name: 'requestheader flags',
  ids: ['D09', 'D19', 'D23', 'D26'],
  needs: ['flags'],
  run(ctx) {
    const flags = ctx.flags as ApiserverFlags;
    const src = ctx.flagsSource ?? 'the flags';
    const out: Finding[] = [];
    for (const name of [F.proxyClientCertFile, F.proxyClientKeyFile]) {
      if (!flags.get(name)) {
        out.push({
          id: 'D09', severity: 'error', subject: name,
          summary: `${name} is not set in ${src}`,
          why: 'without a proxy client certificate the aggregator connects to backends without a client certificate; they cannot trust the X-Remote-User headers and treat every proxied request as system:anonymous (FailedDiscoveryCheck … 403)',
          fix: `set ${F.proxyClientCertFile}=<cert dir>/front-proxy-client.crt and ${F.proxyClientKeyFile}=<cert dir>/front-proxy-client.key (a clientAuth cert signed by the requestheader CA), ${ENABLE_HINT}`,
        });
      }
    }
    if (!flags.get(F.requestheaderClientCaFile)) {
      out.push({
        id: 'D19', severity: 'error', subject: F.requestheaderClientCaFile,
        summary: `${F.requestheaderClientCaFile} is not set in ${src}: API aggregation is not enabled`,
        why: 'kube-apiserver then publishes no requestheader-client-ca-file in kube-system/extension-apiserver-authentication; extension servers have no CA to verify the proxy client certificate (log: missing content for CA bundle "client-ca::kube-system::extension-apiserver-authentication::requestheader-client-ca-file") and never accept proxied identities',
        fix: `set ${F.requestheaderClientCaFile}=<cert dir>/front-proxy-ca.crt (the CA that signed ${F.proxyClientCertFile}) together with the other requestheader flags, ${ENABLE_HINT}`,
      });
      return out;
    }
    if (!flags.has(F.requestheaderUsernameHeaders)) {
      out.push({
        id: 'D09', severity: 'error', subject: F.requestheaderUsernameHeaders,
        summary: `${F.requestheaderClientCaFile} is set but ${F.requestheaderUsernameHeaders} is not`,
        why: "kube-apiserver's requestheader flags have no defaults: it publishes requestheader-username-headers: '[]', so extension servers never find a user name and answer 401/403 to every proxied request",
        fix: `add ${F.requestheaderUsernameHeaders}=${STANDARD_HEADERS.username}`,
      });
    }
    const headerFlags = [
      [F.requestheaderUsernameHeaders, STANDARD_HEADERS.username, 'user names'],
      [F.requestheaderGroupHeaders, STANDARD_HEADERS.group, 'groups'],
      [F.requestheaderExtraHeadersPrefix, STANDARD_HEADERS.extraPrefix, 'extra attributes'],
    ] as const;
    for (const [name, standard, what] of headerFlags) {
      const list = flags.list(name);
      if (list === undefined) {
        if (name === F.requestheaderUsernameHeaders) continue; // reported above as D09
        out.push({
          id: 'D26', severity: 'warning', subject: name,
          summary: `${name} is not set (the requestheader flags of kube-apiserver have no defaults)`,
          why: `kube-apiserver publishes an empty list, so extension servers ignore the ${standard} headers the aggregator sends: the ${what} of proxied users are lost and RBAC rules on them do not match`,
          fix: `add ${name}=${standard}`,
        });
      } else if (!list.some((h) => h.toLowerCase() === standard.toLowerCase())) {
        out.push({
          id: 'D26', severity: 'warning', subject: name,
          summary: `${name} is set without specifying the standard ${standard} header - API aggregation will not work`,
          why: `the aggregator always sends ${standard}; the flag only decides what is published to extension servers, which then look for ${list.join(', ') || 'nothing'} and never see the ${what}`,
          fix: `set ${name}=${[standard, ...list].join(',')}`,
        });
      }
    }
    const uid = flags.list(APISERVER_FLAGS.requestheaderUidHeaders);
    if (uid !== undefined && uid.length > 0 && !uid.some((h) => h.toLowerCase() === STANDARD_HEADERS.uid.toLowerCase())) {
      out.push({
        id: 'D26', severity: 'warning', subject: APISERVER_FLAGS.requestheaderUidHeaders,
        summary: `${APISERVER_FLAGS.requestheaderUidHeaders} is set without ${STANDARD_HEADERS.uid}`,
        why: `the aggregator sends ${STANDARD_HEADERS.uid}; extension servers require the list to contain it when set`,
        fix: `set ${APISERVER_FLAGS.requestheaderUidHeaders}=${STANDARD_HEADERS.uid} or remove the flag`,
      });
    }
    const allowed = flags.list(F.requestheaderAllowedNames);
    if (allowed === undefined || allowed.length === 0) {
      out.push({
        id: 'D23', severity: 'warning', subject: F.requestheaderAllowedNames,
        summary: `${F.requestheaderAllowedNames} is ${allowed === undefined ? 'not set' : 'empty'}: any certificate signed by the requestheader CA may act as the front proxy`,
        why: 'whoever holds any client certificate from that CA can send X-Remote-User/X-Remote-Group and become any user (e.g. group system:masters) at kube-apiserver and at every extension server',
        fix: `set ${F.requestheaderAllowedNames}=<CN of ${F.proxyClientCertFile}> (kubeadm: front-proxy-client)`,
      });
    }
    return out;
  },
};

export const requestheaderFileChecks: Check = {
  name: 'requestheader certificates',
  ids: ['D19', 'D22', 'D24', 'D25'],
  needs: ['flags', 'files'],
  async run(ctx) {
    const flags = ctx.flags as ApiserverFlags;
    const out: Finding[] = [];
    const caFlag = flags.get(F.requestheaderClientCaFile);
    let cas: X509Certificate[] | undefined;
    if (caFlag) {
      const loaded = await ctx.certificates(caFlag);
      if (!loaded.ok) {
        out.push({
          id: 'D19', severity: 'error', subject: loaded.path,
          summary: `${F.requestheaderClientCaFile}: ${loaded.error.message}`,
          why: 'kube-apiserver does not start with an unreadable CA file; with an empty one no requestheader CA is published and extension servers accept no proxied identity',
          fix: `point ${F.requestheaderClientCaFile} at the PEM CA that signed ${F.proxyClientCertFile} (kubeadm: front-proxy-ca.crt; \`kagg certs init --cert-dir DIR\` writes it)`,
        });
      } else {
        cas = loaded.value;
        out.push(...(await caExpiry(ctx, flags, cas, loaded.path)));
      }
    }
    out.push(...(await sharedCa(ctx, flags, cas)));

    const certFlag = flags.get(F.proxyClientCertFile);
    const keyFlag = flags.get(F.proxyClientKeyFile);
    if (!certFlag) return out;
    const cert = await ctx.certificates(certFlag);
    if (!cert.ok) {
      out.push(proxyFinding('error', cert.path, `${F.proxyClientCertFile}: ${cert.error.message}`, 'kube-apiserver does not start without its proxy client certificate', `write the proxy client certificate (\`kagg certs init --cert-dir DIR\`) or fix ${F.proxyClientCertFile}`));
      return out;
    }
    const client = cert.value[0];
    if (keyFlag) {
      const key = await ctx.privateKey(keyFlag);
      if (!key.ok) out.push(proxyFinding('error', key.path, `${F.proxyClientKeyFile}: ${key.error.message}`, 'kube-apiserver does not start without the key of its proxy client certificate', `point ${F.proxyClientKeyFile} at the key of ${certFlag}`));
      else if (!client.checkPrivateKey(key.value)) {
        out.push(proxyFinding('error', key.path, `${keyFlag} is not the private key of ${certFlag}`, 'kube-apiserver refuses to load a mismatched pair (tls: private key does not match public key)', `point ${F.proxyClientKeyFile} at the key generated with ${certFlag}, or re-issue both (\`kagg certs renew front-proxy-client\`)`));
      }
    }
    const chain = cas ? issuerProblem(client, cas, cert.value.slice(1)) : undefined;
    if (chain) {
      out.push(proxyFinding('error', cert.path, `${certFlag} (${describeSubject(client)}) is not signed by ${F.requestheaderClientCaFile}=${caFlag}: ${chain}`, 'extension servers verify the proxy client certificate against the published requestheader CA and reject it: x509: certificate signed by unknown authority, FailedDiscoveryCheck … 401', `issue the proxy client certificate from ${caFlag} (\`kagg certs renew front-proxy-client\`), or point ${F.requestheaderClientCaFile} at the CA that signed it`));
    }
    if (!allowsExtKeyUsage(client, EKU_CLIENT_AUTH)) {
      out.push(proxyFinding('error', cert.path, `${certFlag} lacks the clientAuth extended key usage (has ${(client.keyUsage ?? []).join(', ')})`, 'requestheader verification requires EKU clientAuth: x509: certificate specifies an incompatible key usage, FailedDiscoveryCheck … 401', 're-issue it with usages digital signature, key encipherment, client auth (`kagg certs renew front-proxy-client`)'));
    }
    out.push(...expiry(ctx, client, cert.path, 'D25', 'the proxy client certificate', 'backends reject an expired proxy client certificate (x509: certificate has expired or is not yet valid), FailedDiscoveryCheck … 401', 'renew it (`kagg certs renew front-proxy-client`); kube-apiserver reloads the file without restart'));
    const cn = commonName(client);
    const allowed = flags.list(F.requestheaderAllowedNames);
    if (allowed && allowed.length > 0 && (!cn || !allowed.includes(cn))) {
      out.push({
        id: 'D24', severity: 'error', subject: F.requestheaderAllowedNames,
        summary: `${F.requestheaderAllowedNames}=${allowed.join(',')} does not contain the CN ${JSON.stringify(cn ?? '')} of ${certFlag}`,
        why: `extension servers accept the proxy client certificate only with an allowed CN: x509: subject with cn=${cn ?? ''} is not in the allowed list, FailedDiscoveryCheck … 401 on every backend`,
        fix: `set ${F.requestheaderAllowedNames}=${cn ?? '<CN>'} (exact, case-sensitive), then restart kube-apiserver`,
      });
    }
    return out;
  },
};

/**
 * Expiry of the requestheader CA bundle: the CA that signs the proxy client certificate is
 * what matters (error/warning); other expired certificates in the bundle are only stale.
 */
async function caExpiry(ctx: DoctorContext, flags: ApiserverFlags, cas: X509Certificate[], path: string): Promise<Finding[]> {
  const certFlag = flags.get(F.proxyClientCertFile);
  const client = certFlag ? await ctx.certificates(certFlag) : undefined;
  const signer = client?.ok ? cas.find((ca) => client.value[0].verify(ca.publicKey)) : undefined;
  const out: Finding[] = [];
  for (const ca of cas) {
    if (signer && ca !== signer) {
      if (ctx.now > notAfter(ca)) {
        out.push({ id: 'D25', severity: 'warning', subject: path, summary: `the requestheader CA bundle ${path} still holds ${describeSubject(ca)}, expired since ${notAfter(ca).toISOString()}`, why: 'it does not sign the proxy client certificate, so aggregation keeps working; the ConfigMap publisher drops it anyway', fix: `remove the expired certificate from ${path}` });
      }
      continue;
    }
    out.push(...expiry(ctx, ca, path, 'D25', 'the requestheader CA', 'the ConfigMap publisher drops CA certificates expired for more than 5 minutes, so backends stop trusting the proxy client certificate (FailedDiscoveryCheck 401)', 'renew the front-proxy CA and re-issue the proxy client certificate (`kagg certs renew front-proxy-ca` then `kagg certs renew front-proxy-client`), then restart kube-apiserver'));
  }
  return out;
}

function proxyFinding(severity: Finding['severity'], subject: string, summary: string, why: string, fix: string): Finding {
  return { id: 'D25', severity, subject, summary, why, fix };
}

/** Expired or not yet valid: error; expiring within 30 days: warning. */
export function expiry(ctx: DoctorContext, cert: X509Certificate, path: string, id: Finding['id'], what: string, why: string, fix: string): Finding[] {
  const end = notAfter(cert);
  const start = notBefore(cert);
  if (ctx.now > end || ctx.now < start) {
    return [{ id, severity: 'error', subject: path, summary: `${what} ${path} (${describeSubject(cert)}) is ${ctx.now > end ? `expired since ${end.toISOString()}` : `not valid before ${start.toISOString()}`}`, why, fix }];
  }
  const days = (end.getTime() - ctx.now.getTime()) / DAY_MS;
  if (days <= EXPIRY_WARNING_DAYS) {
    return [{ id, severity: 'warning', subject: path, summary: `${what} ${path} (${describeSubject(cert)}) expires in ${Math.floor(days)} days (${end.toISOString()})`, why, fix }];
  }
  return [];
}

async function sharedCa(ctx: DoctorContext, flags: ApiserverFlags, requestheaderCas: X509Certificate[] | undefined): Promise<Finding[]> {
  const clientFlag = flags.get(APISERVER_FLAGS.clientCaFile);
  const rhFlag = flags.get(F.requestheaderClientCaFile);
  if (!clientFlag || !rhFlag) return [];
  let how: string | undefined;
  if (ctx.hostPath(clientFlag) === ctx.hostPath(rhFlag)) how = 'both flags name the same file';
  else if (requestheaderCas) {
    const client = await ctx.certificates(clientFlag);
    if (client.ok) {
      const common = client.value.find((c) => requestheaderCas.some((r) => r.raw.equals(c.raw)));
      if (common) how = `both bundles contain ${describeSubject(common)}`;
    }
  }
  if (!how) return [];
  return [sharedCaFinding(`${APISERVER_FLAGS.clientCaFile}=${clientFlag} and ${F.requestheaderClientCaFile}=${rhFlag} share a CA (${how})`, flags.list(F.requestheaderAllowedNames) ?? [])];
}

/** D22 with the concrete risk (spec 7.3): error when allowed names are empty. */
export function sharedCaFinding(summary: string, allowed: readonly string[]): Finding {
  const open = allowed.length === 0;
  return {
    id: 'D22', severity: open ? 'error' : 'warning', subject: F.requestheaderClientCaFile, summary,
    why: open
      ? 'with empty allowed names every certificate that CA issues (kubelets, users, anything the CSR signer approves) may send X-Remote-User/X-Remote-Group and become any user, including group system:masters, at kube-apiserver and at every extension server'
      : `anyone who obtains a certificate with CN ${allowed.join(' or ')} from the shared CA (e.g. an approved kubernetes.io/kube-apiserver-client CSR) can impersonate any user; the proxy certificate also becomes an ordinary client identity, and every client-cert request logs "x509: subject with cn=… is not in the allowed list" (kubernetes.io: never reuse a CA from another context)`,
    fix: 'use a separate CA for the front proxy: `kagg certs init --cert-dir DIR` writes front-proxy-ca.crt and front-proxy-client.crt (or --aggregator-ca for aggregator-ca.pem), then `kagg apiserver enable-aggregation --cert-dir DIR`',
  };
}
