// `kagg doctor`: diagnoses the aggregation setup offline (flags and the files they name)
// and online (a running API server), each finding under its spec §9 id.
import { Option } from 'commander';
import { resolve } from 'node:path';
import { loadAPIServiceFiles } from '../config/apiservice-files.ts';
import { ConfigFileError } from '../config/errors.ts';
import { ApiserverFlags } from '../config/flags.ts';
import { loadFlagsFile, type FlagsFileKind } from '../config/flags-file.ts';
import { fetchClusterState } from '../config/doctor/cluster-state.ts';
import { createDoctorContext } from '../config/doctor/context.ts';
import { KubeconfigError, loadKubeClient } from '../client/kube-client.ts';
import { listJson, renderJson, renderList, renderText } from '../config/doctor/render.ts';
import { exitCodeFor, runDoctor } from '../config/doctor/run.ts';
import type { DoctorContext } from '../config/doctor/types.ts';
import { CliError, type CliCommand, type CliIO } from './io.ts';
import { createProgram, runProgram } from './program.ts';

interface DoctorOptions {
  manifest?: string;
  flagsFile?: string;
  systemdUnit?: string;
  envFile?: string;
  envVar?: string;
  certDir?: string;
  certPathPrefix?: string;
  kubeconfig?: string;
  context?: string;
  apiservice?: string[];
  output: 'text' | 'json';
  list?: boolean;
}

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'Diagnose the aggregation layer setup (flags, certificates, live API server)',
  async run(args: string[], io: CliIO): Promise<number> {
    const program = createProgram('doctor', io);
    let code = 0;
    program
      .description('Check kube-apiserver aggregation flags and certificates (offline) and APIServices / the extension-apiserver-authentication ConfigMap (online). Exit 0 ok, 1 warnings, 2 errors.')
      .option('--manifest <file>', 'kube-apiserver static-pod manifest')
      .option('--flags-file <file>', 'any file holding the flags (manifest, systemd unit, env file or a plain list)')
      .option('--systemd-unit <file>', 'systemd unit running kube-apiserver')
      .option('--env-file <file>', 'environment file with the flags')
      .option('--env-var <name>', 'with --env-file: the variable holding the flags')
      .option('--cert-dir <dir>', 'read the certificate files from here instead of the paths in the flags')
      .option('--cert-path-prefix <dir>', 'the directory in the flags that --cert-dir stands for (default: directory of --client-ca-file)')
      .option('--kubeconfig <file>', 'check a running API server with this kubeconfig')
      .option('--context <name>', 'kubeconfig context (default: current-context)')
      .option('--apiservice <file...>', 'APIService manifests to validate before applying')
      .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
      .option('--list', 'print which diagnostics (D01–D34, X01–X04) are covered and how, then exit')
      .action(async (opts: DoctorOptions) => {
        code = await doctor(opts, io);
      });
    const parsed = await runProgram(program, args, io);
    return parsed === 0 ? code : parsed;
  },
};

async function doctor(opts: DoctorOptions, io: CliIO): Promise<number> {
  if (opts.list) {
    io.stdout.write(opts.output === 'json' ? listJson() : renderList());
    return 0;
  }
  const sources: Array<[FlagsFileKind | 'auto', string | undefined]> = [['manifest', opts.manifest], ['auto', opts.flagsFile], ['systemd-unit', opts.systemdUnit], ['env-file', opts.envFile]];
  const given = sources.filter(([, f]) => f !== undefined) as Array<[FlagsFileKind | 'auto', string]>;
  // a binary deployment keeps its flags in the unit and in the env file it expands: both together are one source
  const unitWithEnv = given.length === 2 && opts.systemdUnit !== undefined && opts.envFile !== undefined;
  if (given.length > 1 && !unitWithEnv) throw new CliError('kagg doctor: give at most one of --manifest, --flags-file, --systemd-unit, --env-file (or --systemd-unit with --env-file)');
  if (given.length === 0 && !opts.kubeconfig && !opts.apiservice) throw new CliError('kagg doctor: nothing to check; give --manifest FILE (or --flags-file FILE) and/or --kubeconfig FILE (see --list)');
  if (opts.certDir && given.length === 0) throw new CliError('kagg doctor: --cert-dir needs --manifest or --flags-file (the flags name the files)');
  let client: Awaited<ReturnType<typeof loadKubeClient>> | undefined;
  try {
    const loaded = await Promise.all(given.map(([kind, file]) => loadFlagsFile(resolve(io.cwd, file), kind, { envVariable: opts.envVar })));
    const flags = loaded.length === 0 ? undefined : new ApiserverFlags(loaded.flatMap((l) => l.flags.args));
    const apiServiceFiles = opts.apiservice ? await loadAPIServiceFiles(opts.apiservice.map((f) => resolve(io.cwd, f))) : undefined;
    let cluster: DoctorContext['cluster'];
    if (opts.kubeconfig) {
      client = await loadKubeClient(resolve(io.cwd, opts.kubeconfig), { context: opts.context });
      cluster = await fetchClusterState(client);
      const list = cluster.apiServices;
      if (!list.ok && list.status === undefined) throw new CliError(`kagg doctor: cannot reach the API server ${client.server} (${opts.kubeconfig}): ${list.error}`, 2);
    }
    // without local flags, the live kube-apiserver pod's flags serve the flag checks (its files are on another host)
    const pod = !flags && cluster?.apiserverPod.ok ? cluster.apiserverPod.value : null;
    const ctx = createDoctorContext({
      flags: flags ?? (pod ? new ApiserverFlags(pod.args) : undefined),
      flagsSource: given.map(([, f]) => f).join(' + ') || (pod ? `pod kube-system/${pod.name}` : undefined),
      filesReadable: flags !== undefined,
      mounts: flags ? loaded.find((l) => l.mounts)?.mounts : pod?.mounts,
      certDir: opts.certDir ? resolve(io.cwd, opts.certDir) : undefined,
      certPathPrefix: opts.certPathPrefix,
      cwd: io.cwd,
      apiServiceFiles,
      cluster,
    });
    const report = await runDoctor(ctx);
    io.stdout.write(opts.output === 'json' ? renderJson(report) : renderText(report));
    return exitCodeFor(report);
  } catch (err) {
    if (err instanceof ConfigFileError || err instanceof KubeconfigError) throw new CliError(`kagg doctor: ${err.message}`, 2, { cause: err });
    throw err;
  } finally {
    client?.close();
  }
}
