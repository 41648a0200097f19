// `kagg apiserver enable-aggregation`: points the seven aggregation flags of a kube-apiserver
// deployment (static-pod manifest, systemd unit or env file) at a cert dir.
import { Option } from 'commander';
import { isAbsolute, resolve } from 'node:path';
import type { DeploymentKind } from '../config/arg-source.ts';
import { CertFileError } from '../config/cert-files.ts';
import { AggregationRefusedError, enableAggregation } from '../config/enable-aggregation.ts';
import { ConfigFileError } from '../config/errors.ts';
import type { RequestheaderCa } from '../config/flags.ts';
import { CliError, type CliCommand, type CliIO } from './io.ts';
import { createProgram, runProgram } from './program.ts';

interface EnableOptions {
  manifest?: string;
  systemdUnit?: string;
  envFile?: string;
  envVar?: string;
  certDir: string;
  certPathPrefix?: string;
  requestheaderCa: RequestheaderCa;
  enableAggregatorRouting?: boolean;
  dryRun?: boolean;
}

export const apiserverCommand: CliCommand = {
  name: 'apiserver',
  summary: 'Edit a kube-apiserver deployment (enable-aggregation)',
  async run(args: string[], io: CliIO): Promise<number> {
    const program = createProgram('apiserver', io);
    let code = 0;
    program
      .command('enable-aggregation')
      .description('Set the aggregation flags (requestheader CA, allowed names, X-Remote-* headers, proxy client cert) to the files of a cert dir')
      .option('--manifest <file>', 'static-pod manifest (kube-apiserver.yaml)')
      .option('--systemd-unit <file>', 'systemd unit whose ExecStart= runs kube-apiserver')
      .option('--env-file <file>', 'environment file with the flags (KUBE_API_ARGS="...")')
      .option('--env-var <name>', 'with --env-file: the variable holding the flags')
      .requiredOption('--cert-dir <dir>', 'directory holding the certificates (read and checked)')
      .option('--cert-path-prefix <dir>', 'the cert dir as kube-apiserver sees it, written into the flags (default: --cert-dir)')
      .addOption(new Option('--requestheader-ca <layout>', 'which CA and client pair to use').choices(['front-proxy', 'aggregator']).default('front-proxy'))
      .option('--enable-aggregator-routing', 'also set --enable-aggregator-routing=true')
      .option('--dry-run', 'print the unified diff and write nothing')
      .action(async (opts: EnableOptions) => {
        code = await enable(opts, io);
      });
    if (args.length === 0) {
      program.outputHelp({ error: true });
      return 1;
    }
    const parsed = await runProgram(program, args, io);
    return parsed === 0 ? code : parsed;
  },
};

async function enable(opts: EnableOptions, io: CliIO): Promise<number> {
  const targets: Array<[DeploymentKind, string | undefined]> = [
    ['manifest', opts.manifest],
    ['systemd-unit', opts.systemdUnit],
    ['env-file', opts.envFile],
  ];
  const given = targets.filter(([, f]) => f !== undefined) as Array<[DeploymentKind, string]>;
  if (given.length !== 1) throw new CliError('kagg apiserver enable-aggregation: give exactly one of --manifest, --systemd-unit, --env-file');
  const [kind, fileArg] = given[0];
  const file = resolve(io.cwd, fileArg);
  const certDir = resolve(io.cwd, opts.certDir);
  const prefix = opts.certPathPrefix ?? opts.certDir;
  if (!isAbsolute(prefix)) throw new CliError(`kagg apiserver enable-aggregation: the cert path written into the flags must be absolute (got ${JSON.stringify(prefix)}); pass an absolute --cert-dir or --cert-path-prefix`);
  try {
    const result = await enableAggregation(kind, file, {
      certDir,
      certPathPrefix: prefix,
      requestheaderCa: opts.requestheaderCa,
      enableAggregatorRouting: opts.enableAggregatorRouting === true,
      dryRun: opts.dryRun === true,
      envVariable: opts.envVar,
    });
    for (const w of result.warnings) io.stderr.write(`warning: ${w}\n`);
    if (opts.dryRun) {
      io.stdout.write(result.diff);
      if (!result.changed) io.stderr.write(`${fileArg}: already configured, nothing to change\n`);
      return 0;
    }
    if (!result.changed) io.stdout.write(`${fileArg}: already configured, nothing changed\n`);
    else io.stdout.write(`${fileArg}: aggregation flags set (requestheader CA ${opts.requestheaderCa}, allowed name ${result.plan.clientCn}); previous version in ${result.backup}\n`);
    return 0;
  } catch (err) {
    if (err instanceof AggregationRefusedError) throw new CliError(`kagg apiserver enable-aggregation: refusing, ${fileArg} left unchanged: ${err.message}`, 1, { cause: err });
    if (err instanceof ConfigFileError || err instanceof CertFileError) throw new CliError(`kagg apiserver enable-aggregation: ${err.message}`, 1, { cause: err });
    throw err;
  }
}
