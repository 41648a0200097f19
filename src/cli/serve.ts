// `kagg serve`: the API server with kube-apiserver's flag names. Runs until SIGINT/SIGTERM
// (or the io's abort signal in tests).
import { startControlPlane, type ControlPlaneDeps } from '../apiserver/control-plane.ts';
import { OptionsError, parseServeArgs, resolveOptions, serveUsage } from '../apiserver/options.ts';
import { CliError, type CliCommand, type CliIO } from './io.ts';

export interface ServeRunOptions extends ControlPlaneDeps {
  /** Stops the server; default: SIGINT or SIGTERM. */
  signal?: AbortSignal;
  /** Called once the server listens (tests read the port from it). */
  onListening?: (url: string) => void;
}

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
  let plane;
  try {
    plane = await startControlPlane(options, { ...run, log, createApi: run.createApi });
  } catch (err) {
    throw new CliError(`kagg serve: ${err instanceof Error ? err.message : String(err)}`, 1, { cause: err });
  }
  log(`kagg serve: serving securely on ${plane.server.url} (storage ${options.storage.type})`);
  run.onListening?.(plane.server.url);
  await waitForSignal(run.signal);
  await plane.close();
  return 0;
}

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'Serve the Kubernetes API (kube-apiserver flags)',
  run: (args, io) => runServe(args, io),
};
