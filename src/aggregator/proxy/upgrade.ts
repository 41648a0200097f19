// Upgrade requests (WebSocket, SPDY: exec, attach, port-forward) tunnelled as raw bytes,
// like apimachinery's UpgradeAwareHandler (spec 2.8): dial the backend with the same TLS
// settings, write the request, read the response head; 101 ⇒ pipe both ways, ≥400 ⇒
// relay verbatim and close, anything else ⇒ 503.
//
// The server must deliver upgrade requests from its 'upgrade' event through the same
// chain (Node does not pass them to 'request' handlers once an 'upgrade' listener exists);
// `rememberUpgradeHead(req, head)` keeps the bytes Node read past the request head.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { connect, type TLSSocket } from 'node:tls';
import { goNetError } from './go-errors.ts';
import { PROXY_MESSAGES, plainResponseBytes } from './plain-error.ts';
import { hostPort, type ResolvedAddress } from './resolve.ts';
import type { RouteSnapshot } from './snapshot.ts';

const heads = new WeakMap<IncomingMessage, Buffer>();

export function rememberUpgradeHead(req: IncomingMessage, head: Buffer): void {
  if (head.length > 0) heads.set(req, head);
}

/** Any Connection header value containing `upgrade`, case-insensitive (spec 2.8.1). */
export function isUpgradeRequest(req: Pick<IncomingMessage, 'headersDistinct'>): boolean {
  return (req.headersDistinct['connection'] ?? []).some((v) => v.toLowerCase().includes('upgrade'));
}

const MAX_HEAD = 64 * 1024;
const ERROR_WRITE_DEADLINE_MS = 10_000;

function requestHead(method: string, path: string, host: string, headers: OutgoingHttpHeaders): string {
  let out = `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) out += `${name}: ${String(v).replace(/[\r\n]/g, ' ')}\r\n`;
  }
  return `${out}\r\n`;
}

function fail(client: Duplex, code: number, reason: string, text: string): void {
  if (client.destroyed) return;
  client.end(plainResponseBytes(code, reason, text));
}

/** Reads until the end of the response head; resolves the bytes read so far and the status. */
function readHead(backend: TLSSocket): Promise<{ buffered: Buffer; status: number }> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length > MAX_HEAD) done(new Error('response head too large'));
        return;
      }
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(buf.subarray(0, end).toString('latin1'));
      if (!m) return done(new Error('malformed HTTP response'));
      backend.pause();
      done(undefined, { buffered: buf, status: Number(m[1]) });
    };
    const onError = (err: Error) => done(err);
    const onEnd = () => done(new Error('unexpected EOF'));
    function done(err?: Error, value?: { buffered: Buffer; status: number }) {
      backend.off('data', onData).off('error', onError).off('end', onEnd);
      if (err) reject(err);
      else resolve(value!);
    }
    backend.on('data', onData).on('error', onError).on('end', onEnd);
  });
}

export async function proxyUpgrade(
  req: IncomingMessage,
  _res: ServerResponse,
  snap: RouteSnapshot,
  addr: ResolvedAddress,
  opts: { path: string; headers: OutgoingHttpHeaders },
): Promise<void> {
  const client = req.socket;
  if (snap.transport instanceof Error) return fail(client, 500, 'Internal Server Error', snap.transport.message);
  const tlsOptions = snap.transport.tls;
  const backend = connect({ ...tlsOptions, host: addr.host, port: addr.port, ALPNProtocols: ['http/1.1'] });
  const onClientClose = () => backend.destroy();
  client.once('close', onClientClose);
  try {
    await new Promise<void>((resolve, reject) => {
      backend.once('secureConnect', resolve).once('error', reject);
    });
  } catch (err) {
    client.off('close', onClientClose);
    return fail(client, 503, 'Service Unavailable', PROXY_MESSAGES.dialBackend(goNetError(err, hostPort(addr), snap.serverName)));
  }
  backend.write(requestHead(req.method ?? 'GET', opts.path, hostPort(addr), opts.headers));
  const head = heads.get(req);
  if (head) backend.write(head);

  let response: { buffered: Buffer; status: number };
  try {
    response = await readHead(backend);
  } catch (err) {
    backend.destroy();
    client.off('close', onClientClose);
    return fail(client, 503, 'Service Unavailable', goNetError(err, hostPort(addr), snap.serverName));
  }
  if (response.status === 101) {
    client.write(response.buffered);
    backend.on('error', () => client.destroy());
    client.on('error', () => backend.destroy());
    backend.pipe(client);
    client.pipe(backend);
    backend.resume();
    return;
  }
  if (response.status >= 400) {
    client.write(response.buffered);
    const deadline = setTimeout(() => {
      backend.destroy();
      client.destroy();
    }, ERROR_WRITE_DEADLINE_MS);
    backend.on('end', () => {
      clearTimeout(deadline);
      client.end();
    });
    backend.on('error', () => client.destroy());
    backend.pipe(client, { end: false });
    backend.resume();
    return;
  }
  backend.destroy();
  client.off('close', onClientClose);
  return fail(client, 503, 'Service Unavailable', PROXY_MESSAGES.invalidUpgrade(response.status));
}
