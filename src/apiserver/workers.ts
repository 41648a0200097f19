// `kagg serve --workers N`: N processes serving one port with node:cluster. Each worker is
// a whole kagg serve (informers, controllers, caches) on the same shared storage, like the
// instances of an HA kube-apiserver: state is shared only through storage and its watches,
// so N > 1 needs SQLite or etcd. The primary only forks, restarts and stops workers.
import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';

/** What a worker tells the primary once it listens. */
export interface WorkerListening {
  kind: 'kagg-worker-listening';
  url: string;
}

const BIN = fileURLToPath(new URL('../../bin/kagg.mjs', import.meta.url));
const STOP_GRACE_MS = 10_000;
/** More unexpected exits than this within the window stops the whole server. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

export function isWorkerProcess(): boolean {
  return cluster.isWorker;
}

/** In a worker: tells the primary this worker listens. */
export function reportListening(url: string): void {
  const message: WorkerListening = { kind: 'kagg-worker-listening', url };
  process.send?.(message);
}

function isListening(m: unknown): m is WorkerListening {
  return typeof m === 'object' && m !== null && (m as { kind?: unknown }).kind === 'kagg-worker-listening';
}

export interface PrimaryOptions {
  count: number;
  /** `kagg serve` arguments, passed to every worker unchanged. */
  args: readonly string[];
  log: (line: string) => void;
  /** Called once every worker listens. */
  onListening?: (url: string) => void;
  /** Stops the workers (SIGTERM, then SIGKILL after a grace period). */
  signal: AbortSignal;
}

/**
 * Forks `count` workers running `kagg serve ARGS`, replaces a worker that dies, and stops
 * them all when `signal` aborts. Resolves 0 after a requested stop; 1 when workers keep
 * dying (more than MAX_RESTARTS in RESTART_WINDOW_MS) or none could start.
 */
export function runPrimary(opts: PrimaryOptions): Promise<number> {
  cluster.setupPrimary({ exec: BIN, args: ['serve', ...opts.args], silent: false });
  const workers = new Set<Worker>();
  const listening = new Set<number>();
  const restarts: number[] = [];
  let announced = false;
  let stopping = false;
  let failed = false;

  return new Promise<number>((resolve) => {
    const finishIfDone = () => {
      if (stopping && workers.size === 0) resolve(failed ? 1 : 0);
    };
    const stopAll = (reason?: string) => {
      if (stopping) return;
      stopping = true;
      if (reason) {
        failed = true;
        opts.log(`kagg serve: ${reason}; stopping`);
      }
      for (const w of workers) w.process.kill('SIGTERM');
      const timer = setTimeout(() => {
        for (const w of workers) w.process.kill('SIGKILL');
      }, STOP_GRACE_MS);
      timer.unref();
      finishIfDone();
    };
    const fork = () => {
      const worker = cluster.fork();
      workers.add(worker);
      worker.on('message', (m: unknown) => {
        if (!isListening(m)) return;
        listening.add(worker.id);
        if (!announced && listening.size >= opts.count) {
          announced = true;
          opts.log(`kagg serve: serving securely on ${m.url} (${opts.count} workers, primary pid ${process.pid})`);
          opts.onListening?.(m.url);
        }
      });
      worker.on('exit', (code, signal) => {
        workers.delete(worker);
        listening.delete(worker.id);
        if (stopping) return finishIfDone();
        const now = Date.now();
        restarts.push(now);
        while (restarts.length > 0 && now - restarts[0] > RESTART_WINDOW_MS) restarts.shift();
        if (restarts.length > MAX_RESTARTS) return stopAll(`workers exited ${restarts.length} times within ${RESTART_WINDOW_MS / 1000} s (last: ${signal ?? `code ${code}`})`);
        opts.log(`kagg serve: worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting another`);
        fork();
      });
    };
    for (let i = 0; i < opts.count; i++) fork();
    if (opts.signal.aborted) stopAll();
    else opts.signal.addEventListener('abort', () => stopAll(), { once: true });
  });
}
