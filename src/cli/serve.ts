// `kagg serve`: the API server with kube-apiserver's flag names. Runs until SIGINT/SIGTERM
// (or the io's abort signal in tests).
import { authenticationInfoFrom, createAggregator, handleUpgrades, watchFiles } from '../aggregator/mod.ts';
import { apiServiceResource } from '../aggregator/apis/resource.ts';
import { startControlPlane, type ApiHandlerFactory, type ControlPlaneDeps } from '../apiserver/control-plane.ts';
import { createAPIHandler } from '../apiserver/registry/mod.ts';
import { withConsole } from '../console/handler.ts';
import { OptionsError, parseServeArgs, resolveOptions, serveUsage } from '../apiserver/options.ts';
import { isWorkerProcess, reportListening, runPrimary } from '../apiserver/workers.ts';
import { CliError, type CliCommand, type CliIO } from './io.ts';

export interface ServeRunOptions extends ControlPlaneDeps {
  /** Stops the server; default: SIGINT or SIGTERM. */
  signal?: AbortSignal;
  /** Called once the server listens (tests read the port from it). */
  onListening?: (url: string) => void;
}

/**
 * The API `kagg serve` runs: the generic registry (with APIService) behind the aggregator,
 * which proxies APIServices, merges discovery and OpenAPI, and publishes
 * kube-system/extension-apiserver-authentication from the authentication flags.
 */
export const aggregatedApiFactory: ApiHandlerFactory = (ctx) => {
  const api = createAPIHandler({ store: ctx.store, etcdPrefix: ctx.etcdPrefix, actions: ctx.actions, admission: ctx.admission, extraResources: [apiServiceResource()] });
  const rh = ctx.options.requestHeader;
  const aggregator = createAggregator({
    store: ctx.store,
    etcdPrefix: ctx.etcdPrefix,
    local: api.handler,
    proxyClientCertFile: ctx.options.proxyClientCertFile,
    proxyClientKeyFile: ctx.options.proxyClientKeyFile,
    enableAggregatorRouting: ctx.options.enableAggregatorRouting,
    stripHeaders: rh ? [...rh.usernameHeaders, ...rh.uidHeaders, ...rh.groupHeaders].map((h) => h.toLowerCase()) : [],
    authentication: () => authenticationInfoFrom(ctx.authentication),
    registry: ctx.metrics.registry,
    log: ctx.log,
  });
  return {
    handler: withConsole(aggregator.handler, { certDir: ctx.options.certDir }),
    async bootstrap() {
      await api.bootstrap();
      await aggregator.start(ctx.signal);
    },
    ready: () => aggregator.ready(),
    attach: (server, chain) => handleUpgrades(server, chain),
  };
};

function waitForSignal(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal) {
      if (signal.aborted) resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
      return;
    }
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

export async function runServe(args: string[], io: CliIO, run: ServeRunOptions = {}): Promise<number> {
  let options;
  try {
    const parsed = parseServeArgs(args);
    for (const w of parsed.warnings) io.stderr.write(`Warning: ${w}\n`);
    options = resolveOptions(parsed.flags, { cwd: io.cwd, warn: (w) => io.stderr.write(`Warning: ${w}\n`) });
  } catch (err) {
    if (err instanceof OptionsError) throw new CliError(`kagg serve: ${err.message}`);
    throw err;
  }
  if (options.help) {
    io.stdout.write(serveUsage());
    return 0;
  }
  const log = run.log ?? ((line: string) => io.stderr.write(`${line}\n`));
  const worker = options.workers > 1 && isWorkerProcess();
  if (options.workers > 1 && !worker) {
    // The primary: forks the workers (each runs this command again) and supervises them.
    const stop = new AbortController();
    void waitForSignal(run.signal).then(() => stop.abort());
    return runPrimary({ count: options.workers, args, log, onListening: run.onListening, signal: stop.signal });
  }
  let plane;
  try {
    plane = await startControlPlane(options, { watchFiles, ...run, log, createApi: run.createApi ?? aggregatedApiFactory });
  } catch (err) {
    throw new CliError(`kagg serve: ${err instanceof Error ? err.message : String(err)}`, 1, { cause: err });
  }
  if (worker) {
    log(`kagg serve: worker ${process.pid} listening on ${plane.server.url} (storage ${options.storage.type})`);
    reportListening(plane.server.url);
  } else {
    log(`kagg serve: serving securely on ${plane.server.url} (storage ${options.storage.type})`);
    run.onListening?.(plane.server.url);
  }
  await waitForSignal(run.signal);
  await plane.close();
  // A worker's IPC channel to the primary would keep it alive: let go of it.
  if (worker) process.disconnect?.();
  return 0;
}

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Serve the Kubernetes API (kube-apiserver flags)',
  run: (args, io) => runServe(args, io),
};
