// A KubeClient that calls this same kagg with the caller's own bearer token, for checks that
// must see exactly what the caller may see (the doctor). It dials the local address the
// request arrived on and sends nothing until the peer shows the certificate this server
// serves (a pin on its SHA-256 fingerprint), so the token cannot go anywhere else.
import { request } from 'node:https';
import { connect, TLSSocket } from 'node:tls';
import type { IncomingMessage } from 'node:http';
import type { KubeClient, KubeResponse, RequestOptions } from '../client/kube-client.ts';

export interface SelfClientOptions {
  timeoutMs?: number;
}

/** The client, or undefined when the request did not arrive over TLS. */
export function selfClient(req: IncomingMessage, token: string, options: SelfClientOptions = {}): KubeClient | undefined {
  const socket = req.socket;
  if (!(socket instanceof TLSSocket)) return undefined;
  const own = socket.getCertificate();
  const pin = own && 'fingerprint256' in own ? own.fingerprint256 : undefined;
  const host = socket.localAddress;
  const port = socket.localPort;
  if (!pin || !host || !port) return undefined;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const dial = () => new Promise<TLSSocket>((resolve, reject) => {
    // The pin below replaces CA verification: only this server's own certificate is accepted.
    const s = connect({ host, port, rejectUnauthorized: false, servername: 'localhost', timeout: timeoutMs });
    s.once('secureConnect', () => {
      if (s.getPeerCertificate().fingerprint256 !== pin) {
        s.destroy();
        reject(new Error(`${server}: not this server's certificate`));
        return;
      }
      resolve(s);
    });
    s.once('timeout', () => s.destroy(new Error(`${server}: no TLS handshake within ${timeoutMs} ms`)));
    s.once('error', reject);
  });

  const call = async (method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<KubeResponse> => {
    const conn = await dial();
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise<KubeResponse>((resolve, reject) => {
      const r = request({
        createConnection: () => conn,
        host,
        port,
        path,
        method,
        timeout: opts.timeoutMs ?? timeoutMs,
        headers: {
          accept: opts.accept ?? 'application/json',
          authorization: `Bearer ${token}`,
          'user-agent': 'kagg-console',
          ...(data ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {}),
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          conn.destroy();
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      });
      r.on('timeout', () => r.destroy(new Error(`${method} ${path}: no answer within ${opts.timeoutMs ?? timeoutMs} ms`)));
      r.on('error', (err) => {
        conn.destroy();
        reject(err);
      });
      r.end(data);
    });
  };

  return {
    server,
    request: call,
    get: (path, opts) => call('GET', path, undefined, opts),
    watch: () => Promise.reject(new Error('the console self client does not watch')),
    close: () => {},
  };
}
