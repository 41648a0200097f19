// `kagg kubeconfig admin|super-admin|controller-manager|scheduler`: a kubeconfig with an
// embedded client certificate signed by the cluster CA, as kubeadm's kubeconfig phase.
import { Option } from 'commander';
import { resolve } from 'node:path';
import { KUBEADM_KUBECONFIGS, issueKubeconfig, writeKubeconfigFile, type KeyAlgorithmName, type KubeconfigKind } from '../pki/kubeadm/mod.ts';
import { libraryErrors } from './certs.ts';
import type { CliCommand, CliIO } from './io.ts';
import { createProgram, runProgram } from './program.ts';

interface KubeconfigFlags {
  certDir: string;
  server: string;
  out?: string;
  cluster: string;
  keyAlgorithm: KeyAlgorithmName;
  force?: boolean;
}

export const kubeconfigCommand: CliCommand = {
  name: 'kubeconfig',
  summary: 'Write a kubeconfig with an embedded client cert (admin, super-admin, controller-manager, scheduler)',
  async run(args: string[], io: CliIO): Promise<number> {
    const program = createProgram('kubeconfig', io);
    let code = 0;
    program
      .description(KUBEADM_KUBECONFIGS.map((k) => `${k.kind}: CN ${k.cn}${k.organizations.length ? `, O ${k.organizations.join(',')}` : ''}`).join('\n'))
      .addArgument(program.createArgument('<kind>', 'which kubeconfig').choices(KUBEADM_KUBECONFIGS.map((k) => k.kind)))
      .requiredOption('--cert-dir <dir>', 'cert dir holding ca.crt and ca.key')
      .requiredOption('--server <url>', 'API server URL, e.g. https://10.0.0.1:6443')
      .option('--out <file>', 'write here (mode 0600) instead of stdout; an existing file with the same CA is kept, as kubeadm does')
      .option('--force', 'with --out: replace an existing file')
      .option('--cluster <name>', 'cluster name in the file', 'kubernetes')
      .addOption(new Option('--key-algorithm <algorithm>', 'key type of the client key').choices(['rsa2048', 'rsa3072', 'rsa4096', 'ecdsa-p256']).default('rsa2048'))
      .action(async (kind: KubeconfigKind, flags: KubeconfigFlags) => {
        code = await libraryErrors('kagg kubeconfig', async () => {
          const options = { certDir: resolve(io.cwd, flags.certDir), kind, server: flags.server, cluster: flags.cluster, keyAlgorithm: flags.keyAlgorithm };
          if (flags.out === undefined) {
            io.stdout.write(await issueKubeconfig(options));
            return 0;
          }
          const result = await writeKubeconfigFile(resolve(io.cwd, flags.out), { ...options, force: flags.force === true });
          for (const line of result.lines) io.stderr.write(`${line}\n`);
          return 0;
        });
      });
    const parsed = await runProgram(program, args, io);
    return parsed === 0 ? code : parsed;
  },
};
