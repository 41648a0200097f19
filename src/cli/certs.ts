// `kagg certs init|check-expiration|renew|verify|tree`: the kubeadm control-plane PKI
// (library: src/pki/kubeadm). Each sub-command parses flags, calls one library function
// and prints its report. Each imports its library module when it runs, so `certs init`
// does not load the kubeconfig (YAML), renew, verify or tree code.
import { Option } from 'commander';
import { resolve } from 'node:path';
import { PkiError } from '../pki/errors.ts';
import type { KeyAlgorithmName } from '../pki/kubeadm/cert-list.ts';
import { CertTreeError } from '../pki/kubeadm/errors.ts';
import { prefetchTreeKeys } from '../pki/kubeadm/key-pool.ts';
import { RENEWABLE_NAMES } from '../pki/kubeadm/renew-targets.ts';
import { resolveTreeConfig } from '../pki/kubeadm/tree-config.ts';
import { CliError, type CliCommand, type CliIO } from './io.ts';
import { createProgram, runProgram } from './program.ts';

const KEY_ALGORITHM_CHOICES = ['rsa2048', 'rsa3072', 'rsa4096', 'ecdsa-p256'];

interface InitFlags {
  certDir: string;
  nodeName?: string;
  advertiseAddress?: string;
  serviceCidr?: string;
  dnsDomain?: string;
  apiserverCertExtraSans?: string;
  controlPlaneEndpoint?: string;
  keyAlgorithm: KeyAlgorithmName;
  aggregatorCa?: boolean;
  externalEtcd?: boolean;
}

interface DirFlags {
  certDir: string;
  kubeconfigDir?: string;
  externalEtcd?: boolean;
}

interface VerifyFlags extends DirFlags {
  nodeName?: string;
  advertiseAddress?: string;
  serviceCidr?: string;
  dnsDomain?: string;
  controlPlaneEndpoint?: string;
  apiserverCertExtraSans?: string;
  output: 'text' | 'json';
}

const splitList = (value: string | undefined) => (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');

export const certsCommand: CliCommand = {
  name: 'certs',
  summary: 'The kubeadm control-plane certificate tree (init, check-expiration, renew, verify, tree)',
  async run(args: string[], io: CliIO): Promise<number> {
    const program = createProgram('certs', io);
    let code = 0;
    const dir = (d: string) => resolve(io.cwd, d);
    const run = async (fn: () => Promise<number>) => {
      code = await libraryErrors('kagg certs', fn);
    };

    program
      .command('init')
      .description("Write the kubeadm tree: ca, apiserver, apiserver-kubelet-client, front-proxy-ca/-client, etcd/*, apiserver-etcd-client, sa; keep valid existing files")
      .requiredOption('--cert-dir <dir>', 'where to write (kubeadm: /etc/kubernetes/pki)')
      .option('--node-name <name>', 'node name: CN of etcd server/peer, DNS SAN (default: host name)')
      .option('--advertise-address <ip>', 'API server / etcd IP SAN (default: the default-route interface address)')
      .option('--service-cidr <cidr>', 'service CIDR; its first IP is an apiserver SAN (default 10.96.0.0/12)')
      .option('--dns-domain <domain>', 'cluster DNS domain (default cluster.local)')
      .option('--apiserver-cert-extra-sans <list>', 'comma-separated extra IPs / DNS names for apiserver.crt')
      .option('--control-plane-endpoint <host[:port]>', 'shared endpoint; its host becomes an apiserver SAN')
      .addOption(new Option('--key-algorithm <algorithm>', 'key type of every new key').choices(KEY_ALGORITHM_CHOICES).default('rsa2048'))
      .option('--aggregator-ca', "also write the seed article's aggregator-ca.pem / aggregator.pem pair")
      .option('--external-etcd', 'etcd has its own PKI elsewhere: no etcd CA, etcd leaves or apiserver-etcd-client')
      .action((flags: InitFlags) =>
        run(async () => {
          const certDir = dir(flags.certDir);
          const options = {
            certDir,
            ...(flags.nodeName !== undefined ? { nodeName: flags.nodeName } : {}),
            ...(flags.advertiseAddress !== undefined ? { advertiseAddress: flags.advertiseAddress } : {}),
            ...(flags.serviceCidr !== undefined ? { serviceCidr: flags.serviceCidr } : {}),
            ...(flags.dnsDomain !== undefined ? { dnsDomain: flags.dnsDomain } : {}),
            ...(flags.controlPlaneEndpoint !== undefined ? { controlPlaneEndpoint: flags.controlPlaneEndpoint } : {}),
            apiserverCertSans: splitList(flags.apiserverCertExtraSans),
            keyAlgorithm: flags.keyAlgorithm,
            aggregatorCa: flags.aggregatorCa === true,
            externalEtcd: flags.externalEtcd === true,
            log: (line: string) => io.stdout.write(`${line}\n`),
          };
          // Bad flags fail before any key is started; an empty cert dir gets its keys
          // started now, on the thread pool, while the signing code loads.
          resolveTreeConfig(options);
          const keyPool = await prefetchTreeKeys(certDir, flags.keyAlgorithm, options);
          const { initCertTree } = await import('../pki/kubeadm/init-tree.ts');
          await initCertTree({ ...options, ...(keyPool ? { keyPool } : {}) });
          return 0;
        }),
      );

    program
      .command('check-expiration')
      .description("Print kubeadm's expiration tables for the certificates, kubeconfigs and CAs")
      .requiredOption('--cert-dir <dir>', 'the cert dir')
      .option('--kubeconfig-dir <dir>', 'where admin.conf & co. live (default: the parent of --cert-dir)')
      .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'text', 'json']).default('table'))
      .option('--external-etcd', 'etcd has its own PKI elsewhere: no etcd CA, etcd leaves or apiserver-etcd-client')
      .action((flags: DirFlags & { output: string }) =>
        run(async () => {
          const { checkExpiration } = await import('../pki/kubeadm/check-expiration.ts');
          const { formatExpirationJson, formatExpirationTable } = await import('../pki/kubeadm/expiration-table.ts');
          const info = await checkExpiration(dir(flags.certDir), { ...(flags.kubeconfigDir ? { kubeconfigDir: dir(flags.kubeconfigDir) } : {}), externalEtcd: flags.externalEtcd === true });
          io.stdout.write(flags.output === 'json' ? formatExpirationJson(info) : formatExpirationTable(info));
          return 0;
        }),
      );

    program
      .command('renew')
      .description('Re-sign a certificate with its CA: same subject, SANs and usages; new key, serial and validity')
      .argument('<name>', `all, or one of: ${RENEWABLE_NAMES.join(', ')}`)
      .requiredOption('--cert-dir <dir>', 'the cert dir')
      .option('--kubeconfig-dir <dir>', 'where admin.conf & co. live (default: the parent of --cert-dir)')
      .option('--external-etcd', 'etcd has its own PKI elsewhere: no etcd CA, etcd leaves or apiserver-etcd-client')
      .action((name: string, flags: DirFlags) =>
        run(async () => {
          if (name !== 'all' && !RENEWABLE_NAMES.includes(name)) {
            throw new CliError(`kagg certs renew: unknown certificate "${name}": use all or one of ${RENEWABLE_NAMES.join(', ')}`);
          }
          const { renewCertificates } = await import('../pki/kubeadm/renew.ts');
          await renewCertificates(dir(flags.certDir), name, {
            ...(flags.kubeconfigDir ? { kubeconfigDir: dir(flags.kubeconfigDir) } : {}),
            externalEtcd: flags.externalEtcd === true,
            log: (line) => io.stdout.write(`${line}\n`),
          });
          return 0;
        }),
      );

    program
      .command('verify')
      .description('Check every chain, key pair, usage, CN and SAN the control plane needs; exit 1 on any error')
      .requiredOption('--cert-dir <dir>', 'the cert dir')
      .option('--kubeconfig-dir <dir>', 'kubeconfigs found here are checked too (default: the parent of --cert-dir)')
      .option('--node-name <name>', 'expect this node name in apiserver/etcd SANs and etcd CNs')
      .option('--advertise-address <ip>', 'expect this IP in apiserver/etcd SANs')
      .option('--service-cidr <cidr>', 'expect its first IP in apiserver.crt (default 10.96.0.0/12)')
      .option('--dns-domain <domain>', 'cluster DNS domain (default cluster.local)')
      .option('--control-plane-endpoint <host[:port]>', 'expect its host in apiserver.crt')
      .option('--apiserver-cert-extra-sans <list>', 'expect these in apiserver.crt')
      .option('--external-etcd', 'etcd has its own PKI elsewhere: no etcd CA, etcd leaves or apiserver-etcd-client')
      .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
      .action((flags: VerifyFlags) =>
        run(async () => {
          const { formatFinding, verifyTree } = await import('../pki/kubeadm/verify.ts');
          const report = await verifyTree(dir(flags.certDir), {
            ...(flags.kubeconfigDir ? { kubeconfigDir: dir(flags.kubeconfigDir) } : {}),
            ...(flags.nodeName !== undefined ? { nodeName: flags.nodeName } : {}),
            ...(flags.advertiseAddress !== undefined ? { advertiseAddress: flags.advertiseAddress } : {}),
            ...(flags.serviceCidr !== undefined ? { serviceCidr: flags.serviceCidr } : {}),
            ...(flags.dnsDomain !== undefined ? { dnsDomain: flags.dnsDomain } : {}),
            ...(flags.controlPlaneEndpoint !== undefined ? { controlPlaneEndpoint: flags.controlPlaneEndpoint } : {}),
            apiserverCertSans: splitList(flags.apiserverCertExtraSans),
            externalEtcd: flags.externalEtcd === true,
          });
          if (flags.output === 'json') {
            io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
          } else {
            for (const finding of report.findings) (finding.severity === 'error' ? io.stderr : io.stdout).write(`${formatFinding(finding)}\n`);
            const errors = report.findings.filter((f) => f.severity === 'error').length;
            io.stdout.write(report.ok ? `OK: ${report.checked.length} files checked\n` : '');
            if (!report.ok) io.stderr.write(`${errors} error(s) in ${report.checked.length} files checked\n`);
          }
          return report.ok ? 0 : 1;
        }),
      );

    program
      .command('tree')
      .description('Show which CA signed which certificate, with expiry')
      .requiredOption('--cert-dir <dir>', 'the cert dir')
      .option('--kubeconfig-dir <dir>', 'include the client certs of kubeconfigs found here (default: the parent of --cert-dir)')
      .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
      .action((flags: DirFlags & { output: string }) =>
        run(async () => {
          const { buildCertTree, formatCertTree } = await import('../pki/kubeadm/tree-view.ts');
          const tree = await buildCertTree(dir(flags.certDir), { ...(flags.kubeconfigDir ? { kubeconfigDir: dir(flags.kubeconfigDir) } : {}) });
          io.stdout.write(flags.output === 'json' ? `${JSON.stringify(tree, null, 2)}\n` : formatCertTree(tree));
          return 0;
        }),
      );

    const parsed = await runProgram(program, args, io);
    return parsed === 0 ? code : parsed;
  },
};

/**
 * Errors of the library about files and flags (CertTreeError, PkiError, plain Error from
 * option checks, fs errors) are the user's to fix: one line, exit 1. A TypeError and the
 * like is a bug and keeps its stack (bin.ts prints it).
 */
export async function libraryErrors(prefix: string, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CliError) throw err;
    if (err instanceof CertTreeError || err instanceof PkiError || (err instanceof Error && err.constructor === Error)) {
      throw new CliError(`${prefix}: ${err.message}`, 1, { cause: err });
    }
    throw err;
  }
}
