// The console behind kagg's handler chain: authentication and RBAC have already run (the page
// and its assets are public-info, /console/api/* needs a nonResourceURLs grant). Serves the
// built app, the read-only certificates document and the online doctor's findings; every other path goes to `next`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { methodNotSupported, serviceUnavailable, StatusError } from '../apimachinery/status.ts';
import { writeJSON, writeStatus } from '../apiserver/registry/responses.ts';
import type { Handler } from '../apiserver/request/context.ts';
import { readConsoleCertificates } from './certificates.ts';
import { runConsoleDoctor } from './doctor.ts';
import { CONSOLE_CERTIFICATES_PATH, CONSOLE_DOCTOR_PATH, CONSOLE_ROOT, CONSOLE_SECURITY_HEADERS } from './paths.ts';
import { loadAssets, type AssetTable } from './static-assets.ts';

export interface ConsoleOptions {
  /** kagg serve --cert-dir; without it the certificates endpoint answers 503. */
  certDir?: string;
  /** The built app; default: src/console/assets. */
  assets?: AssetTable;
  now?: () => Date;
}

/** True for paths the console owns (`/console`, `/console/...`). */
export function isConsolePath(path: string): boolean {
  return path === '/console' || path.startsWith(CONSOLE_ROOT);
}

function notFoundPath(): StatusError {
  return new StatusError('NotFound', 'the server could not find the requested resource');
}

/** `withConsole(next, options)`: console paths here, everything else to `next`. */
export function withConsole(next: Handler, options: ConsoleOptions = {}): Handler {
  // Read on first use, so servers that never see a console request never read the build.
  let assets: Promise<AssetTable> | undefined = options.assets && Promise.resolve(options.assets);
  const loaded = () => (assets ??= loadAssets().catch((err: unknown) => {
    assets = undefined;
    throw serviceUnavailable(err instanceof Error ? err.message : String(err));
  }));
  const now = options.now ?? (() => new Date());

  const serveCertificates = async (res: ServerResponse) => {
    if (!options.certDir) throw serviceUnavailable('kagg serve was started without --cert-dir: no certificates to show');
    const doc = await readConsoleCertificates(options.certDir, { now: now() });
    writeJSON(res, 200, doc, { ...CONSOLE_SECURITY_HEADERS, 'cache-control': 'no-store' });
  };

  const serveAsset = async (path: string, req: IncomingMessage, res: ServerResponse) => {
    const key = path === CONSOLE_ROOT ? 'index.html' : path.slice(CONSOLE_ROOT.length);
    const asset = (await loaded()).get(key);
    if (!asset) throw notFoundPath();
    res.writeHead(200, {
      ...CONSOLE_SECURITY_HEADERS,
      'content-type': asset.contentType,
      'content-length': asset.body.length,
      'cache-control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  };

  const serveConsole = async (req: IncomingMessage, res: ServerResponse, raw: string, path: string): Promise<void> => {
    try {
      // Authorization saw the raw path: serve only what it names, never a normalized
      // variant (`/console/static/%2e%2e/api/certificates` is not the certificates endpoint).
      if (path !== raw) throw notFoundPath();
      if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotSupported({ group: '', resource: 'console' }, req.method ?? '');
      if (path === '/console') {
        res.writeHead(301, { ...CONSOLE_SECURITY_HEADERS, location: CONSOLE_ROOT, 'content-length': 0 });
        res.end();
        return;
      }
      if (path === CONSOLE_CERTIFICATES_PATH) return await serveCertificates(res);
      if (path === CONSOLE_DOCTOR_PATH) return writeJSON(res, 200, await runConsoleDoctor(req, { now: now() }), { ...CONSOLE_SECURITY_HEADERS, 'cache-control': 'no-store' });
      if (path.startsWith('/console/api/')) throw notFoundPath();
      await serveAsset(path, req, res);
    } catch (err) {
      writeStatus(res, err);
    }
  };

  return (req, res) => {
    const raw = (req.url ?? '/').split('?')[0];
    // Only a dot segment, an escape or a backslash can normalize to another path.
    const path = /\/\.|%|\\/.test(raw) ? new URL(raw, 'https://kagg.invalid').pathname : raw;
    if (!isConsolePath(raw) && !isConsolePath(path)) return next(req, res);
    return serveConsole(req, res, raw, path);
  };
}
