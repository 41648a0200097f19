// `kagg sample-apiserver`: the wardle.example.com sample server (kubernetes/sample-apiserver)
// with k8s.io/apiserver's secure-serving and delegating authentication/authorization flag
// names. Runs until SIGINT/SIGTERM (or the run options' signal in tests). Prints the
// caBundle (base64 PEM of the serving CA) on stdout once it listens.
import { Option } from 'commander';
import { resolve } from 'node:path';
import { createWardleServer } from '../../examples/wardle/server.ts';
import { DEFAULT_ALWAYS_ALLOW_PATHS, type ExtensionServer, type StoreOptions } from '../extension/mod.ts';
import { parseGoDuration } from '../pki/mod.ts';
import { parseStorageFlag } from '../storage/mod.ts';
import { CliError, type CliCommand, type CliIO } from './io.ts';
import { createProgram, runProgram } from './program.ts';

interface SampleFlags {
  securePort: string;
  bindAddress: string;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  certDir: string;
  certHosts?: string[];
  kubeconfig?: string;
  authenticationKubeconfig?: string;
  authorizationKubeconfig?: string;
  authenticationSkipLookup: boolean;
  authenticationTolerateLookupFailure: boolean;
  authenticationTokenWebhookCacheTtl: string;
  authorizationWebhookCacheAuthorizedTtl: string;
  authorizationWebhookCacheUnauthorizedTtl: string;
  authorizationAlwaysAllowPaths?: string[];
  clientCaFile?: string;
  requestheaderClientCaFile?: string;
  requestheaderAllowedNames: string[];
  requestheaderUsernameHeaders?: string[];
  requestheaderUidHeaders?: string[];
  requestheaderGroupHeaders?: string[];
  requestheaderExtraHeadersPrefix?: string[];
  storage: string;
  etcdServers: string[];
  etcdPrefix: string;
  bannedFlunder: string[];
}

export interface SampleRunOptions {
  signal?: AbortSignal;
  onListening?: (server: ExtensionServer) => void;
}

/** Comma lists that may also be repeated, like pflag's StringSlice. */
const list = (value: string, prev: string[] | undefined): string[] => [...(prev ?? []), ...value.split(',')];
const listOrEmpty = (value: string, prev: string[] | undefined): string[] => (value === '' ? [...(prev ?? [])] : list(value, prev));

function duration(flag: string, value: string): number {
  try {
    return parseGoDuration(value);
  } catch {
    throw new CliError(`kagg sample-apiserver: invalid ${flag} "${value}": want a duration like 10s`);
  }
}

function storageOf(flags: SampleFlags, cwd: string): StoreOptions {
  let parsed;
  try {
    parsed = parseStorageFlag(flags.storage);
  } catch (err) {
    throw new CliError(`kagg sample-apiserver: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (parsed.type === 'sqlite') return { type: 'sqlite', path: resolve(cwd, parsed.path) };
  if (parsed.type === 'etcd') {
    const endpoints = parsed.endpoints.length > 0 ? parsed.endpoints : flags.etcdServers;
    if (endpoints.length === 0) throw new CliError('kagg sample-apiserver: --storage etcd needs --etcd-servers');
    return { type: 'etcd', endpoints };
  }
  return { type: 'memory' };
}

function waitForStop(signal?: AbortSignal): Promise<void> {
  return new Promise((done) => {
    if (signal) {
      if (signal.aborted) done();
      signal.addEventListener('abort', () => done(), { once: true });
      return;
    }
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

async function start(flags: SampleFlags, io: CliIO, run: SampleRunOptions): Promise<number> {
  const path = (p: string | undefined) => (p ? resolve(io.cwd, p) : undefined);
  const port = Number(flags.securePort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`kagg sample-apiserver: invalid --secure-port "${flags.securePort}"`);
  const storage = flags.etcdServers.length > 0 && flags.storage === 'memory' ? { type: 'etcd' as const, endpoints: flags.etcdServers } : storageOf(flags, io.cwd);
  const log = (line: string) => io.stderr.write(`${line}\n`);
  const authnKubeconfig = path(flags.authenticationKubeconfig ?? flags.kubeconfig);
  let server: ExtensionServer;
  try {
    server = await createWardleServer({
      secure: { port, bindAddress: flags.bindAddress, certFile: path(flags.tlsCertFile), keyFile: path(flags.tlsPrivateKeyFile), certDir: path(flags.certDir), hosts: ['localhost', '127.0.0.1', ...(flags.certHosts ?? [])] },
      storage,
      etcdPrefix: flags.etcdPrefix,
      kubeconfig: path(flags.kubeconfig),
      authentication: {
        kubeconfig: authnKubeconfig,
        skipLookup: flags.authenticationSkipLookup,
        tolerateLookupFailure: flags.authenticationTolerateLookupFailure,
        clientCAFile: path(flags.clientCaFile),
        tokenReviewTtlMs: duration('--authentication-token-webhook-cache-ttl', flags.authenticationTokenWebhookCacheTtl),
        ...(flags.requestheaderClientCaFile
          ? { requestHeader: {
            clientCAFile: resolve(io.cwd, flags.requestheaderClientCaFile),
            allowedNames: flags.requestheaderAllowedNames,
            usernameHeaders: flags.requestheaderUsernameHeaders,
            uidHeaders: flags.requestheaderUidHeaders,
            groupHeaders: flags.requestheaderGroupHeaders,
            extraHeaderPrefixes: flags.requestheaderExtraHeadersPrefix,
          } }
          : {}),
      },
      authorization: {
        kubeconfig: path(flags.authorizationKubeconfig ?? flags.kubeconfig),
        alwaysAllowPaths: flags.authorizationAlwaysAllowPaths ?? DEFAULT_ALWAYS_ALLOW_PATHS,
        allowedTtlMs: duration('--authorization-webhook-cache-authorized-ttl', flags.authorizationWebhookCacheAuthorizedTtl),
        deniedTtlMs: duration('--authorization-webhook-cache-unauthorized-ttl', flags.authorizationWebhookCacheUnauthorizedTtl),
      },
      bannedFlunders: flags.bannedFlunder,
      log,
    });
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`kagg sample-apiserver: ${err instanceof Error ? err.message : String(err)}`, 1, { cause: err });
  }
  try {
    const listening = await server.listen();
    io.stdout.write(`caBundle: ${Buffer.from(server.caBundle).toString('base64')}\n`);
    log(`kagg sample-apiserver: serving securely on ${listening.url} (groups ${server.groups.join(',')})`);
    run.onListening?.(server);
    await waitForStop(run.signal);
  } catch (err) {
    throw new CliError(`kagg sample-apiserver: ${err instanceof Error ? err.message : String(err)}`, 1, { cause: err });
  } finally {
    await server.close();
  }
  return 0;
}

export async function runSampleApiserver(args: string[], io: CliIO, run: SampleRunOptions = {}): Promise<number> {
  const program = createProgram('sample-apiserver', io);
  let started: Promise<number> | undefined;
  program
    .description('The wardle.example.com sample API server (flunders, fischers) behind the aggregator')
    .option('--secure-port <port>', 'HTTPS port (0 picks a free one)', '443')
    .option('--bind-address <ip>', 'address to listen on', '0.0.0.0')
    .option('--tls-cert-file <file>', 'serving certificate (chain: leaf first, CA last)')
    .option('--tls-private-key-file <file>', 'serving key')
    .option('--cert-dir <dir>', 'where a self-signed serving certificate is generated when none is given', 'apiserver.local.config/certificates')
    .option('--cert-hosts <names>', 'more DNS names/IPs for a generated certificate besides localhost and 127.0.0.1 (kagg; e.g. api.wardle.svc, which the aggregator verifies)', list)
    .option('--kubeconfig <file>', 'kubeconfig of the core API server (namespaces; default for the two below)')
    .option('--authentication-kubeconfig <file>', 'kubeconfig for the ConfigMap and TokenReview (default in-cluster)')
    .option('--authorization-kubeconfig <file>', 'kubeconfig for SubjectAccessReview (default in-cluster)')
    .option('--authentication-skip-lookup', 'do not read kube-system/extension-apiserver-authentication', false)
    .option('--authentication-tolerate-lookup-failure', 'start even if the ConfigMap cannot be read', false)
    .option('--authentication-token-webhook-cache-ttl <duration>', 'TokenReview cache', '10s')
    .option('--authorization-webhook-cache-authorized-ttl <duration>', 'SubjectAccessReview cache for allowed answers', '10s')
    .option('--authorization-webhook-cache-unauthorized-ttl <duration>', 'SubjectAccessReview cache for denied answers', '10s')
    .option('--authorization-always-allow-paths <paths>', 'paths allowed without SubjectAccessReview (default: /healthz,/readyz,/livez)', listOrEmpty)
    .option('--client-ca-file <file>', 'client CA (default: the ConfigMap\'s client-ca-file)')
    .option('--requestheader-client-ca-file <file>', 'front-proxy CA; when set every requestheader setting comes from flags')
    .option('--requestheader-allowed-names <names>', 'accepted front-proxy CNs (empty: any)', listOrEmpty, [])
    .option('--requestheader-username-headers <headers>', 'user name headers', list)
    .option('--requestheader-uid-headers <headers>', 'UID headers', list)
    .option('--requestheader-group-headers <headers>', 'group headers', list)
    .option('--requestheader-extra-headers-prefix <prefixes>', 'extra header prefixes', list)
    .option('--storage <spec>', 'memory, sqlite:PATH or etcd[:URL,...]', 'memory')
    .option('--etcd-servers <urls>', 'etcd endpoints (as upstream; implies --storage etcd)', list, [])
    .option('--etcd-prefix <prefix>', 'key prefix', '/registry/wardle.example.com')
    .option('--banned-flunder <name>', 'refuse flunders of this name (repeatable)', list, [])
    .addOption(new Option('--audit-log-path <path>').hideHelp())
    .addOption(new Option('--audit-log-maxage <n>').hideHelp())
    .addOption(new Option('--audit-log-maxbackup <n>').hideHelp())
    .action(async (flags: SampleFlags) => {
      started = start(flags, io, run);
      await started;
    });
  const parsed = await runProgram(program, args, io);
  if (parsed !== 0 || !started) return parsed;
  return started;
}

export const sampleApiserverCommand: CliCommand = {
  name: 'sample-apiserver',
  summary: 'Run the wardle.example.com sample extension API server',
  run: (args, io) => runSampleApiserver(args, io),
};
