// /healthz, /livez, /readyz with named checks (k8s.io/apiserver pkg/server/healthz):
// `ok`, or `[+]name ok` / `[-]name failed: reason withheld` lines with `?verbose` or on
// failure; `/readyz/<name>` runs one check; `?exclude=name` skips one.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { urlOf } from '../request/context.ts';

export interface HealthCheck {
  name: string;
  check: () => Promise<void> | void;
}

export type HealthEndpoint = 'healthz' | 'livez' | 'readyz';

export interface HealthChecks {
  livez: readonly HealthCheck[];
  readyz: readonly HealthCheck[];
}

export const HEALTH_PATHS: readonly HealthEndpoint[] = ['healthz', 'livez', 'readyz'];

async function run(check: HealthCheck, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(check.check),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
      }),
    ]);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    clearTimeout(timer);
  }
}

function send(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache, private' });
  res.end(text);
}

const HEALTH_PATH = /^\/(healthz|livez|readyz)(?:\/([^/]+))?\/?$/;

/** Whether `serveHealth` would answer this path. */
export function isHealthPath(pathname: string): boolean {
  return HEALTH_PATH.test(pathname);
}

/** Answers a health path, or returns false when the path is not one. */
export async function serveHealth(req: IncomingMessage, res: ServerResponse, checks: HealthChecks, options: { timeoutMs?: number; log?: (line: string) => void } = {}): Promise<boolean> {
  const url = urlOf(req);
  const m = HEALTH_PATH.exec(url.pathname);
  if (!m) return false;
  const endpoint = m[1] as HealthEndpoint;
  const list = endpoint === 'readyz' || endpoint === 'healthz' ? checks.readyz : checks.livez;
  if (m[2]) {
    const one = list.find((c) => c.name === m[2]);
    if (!one) {
      send(res, 404, '404 page not found\n');
      return true;
    }
    const err = await run(one, options.timeoutMs ?? 10_000);
    if (err) options.log?.(`${endpoint} check ${one.name} failed: ${err}`);
    send(res, err ? 500 : 200, err ? 'internal server error: reason withheld\n' : 'ok');
    return true;
  }
  const exclude = new Set(url.searchParams.getAll('exclude'));
  const verbose = url.searchParams.has('verbose');
  const lines: string[] = [];
  let failed = false;
  for (const c of list) {
    if (exclude.has(c.name)) {
      lines.push(`[+]${c.name} excluded: ok`);
      continue;
    }
    const err = await run(c, options.timeoutMs ?? 10_000);
    if (err) {
      failed = true;
      options.log?.(`${endpoint} check ${c.name} failed: ${err}`);
      lines.push(`[-]${c.name} failed: reason withheld`);
    } else lines.push(`[+]${c.name} ok`);
  }
  if (failed) send(res, 500, `${lines.join('\n')}\n${endpoint} check failed\n`);
  else if (verbose) send(res, 200, `${lines.join('\n')}\n${endpoint} check passed\n`);
  else send(res, 200, 'ok');
  return true;
}
