// The floor of a proxy on Node's stack, for the request-path bench: node:https server →
// undici keep-alive pool → backend, with the same certificates and the relay kagg uses
// (src/aggregator/proxy/relay.ts), but no filter chain: the bearer token is compared to one
// string and the identity headers are fixed, like the nginx configuration.
// Configured by one JSON argument; prints "listening PORT" when ready.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { createSecureContext } from 'node:tls';
import { Pool } from 'undici';
import { ResponseRelay } from '../src/aggregator/proxy/relay.ts';

interface Config {
  port: number;
  upstreamPort: number;
  serverName: string;
  token: string;
  servingCert: string;
  servingKey: string;
  proxyCert: string;
  proxyKey: string;
  backendCA: string;
}

const cfg = JSON.parse(process.argv[2] ?? '{}') as Config;
const tlsOptions = { servername: cfg.serverName, ca: readFileSync(cfg.backendCA), cert: readFileSync(cfg.proxyCert), key: readFileSync(cfg.proxyKey) };
const pool = new Pool(`https://127.0.0.1:${cfg.upstreamPort}`, { connections: null, keepAliveTimeout: 30_000, connect: { ...tlsOptions, secureContext: createSecureContext(tlsOptions) } });
const bearer = `Bearer ${cfg.token}`;
const noop = () => {};

const server = createServer({ cert: readFileSync(cfg.servingCert), key: readFileSync(cfg.servingKey) }, (req, res) => {
  if (req.headers.authorization !== bearer) {
    res.writeHead(401).end();
    return;
  }
  const relay = new ResponseRelay(res, true, {
    onRedirect: () => res.writeHead(502).end(),
    onFailure: () => res.writeHead(503).end(),
    onBroken: noop,
    onDone: noop,
  });
  res.on('close', () => res.writableFinished || relay.abort(new Error('client disconnected')));
  const headers = ['x-remote-user', 'jane', 'x-remote-group', 'devs'];
  for (const name of ['accept', 'user-agent', 'content-type']) {
    const v = req.headers[name];
    if (typeof v === 'string') headers.push(name, v);
  }
  pool.dispatch({ method: 'GET', path: req.url ?? '/', headers }, relay);
});
server.keepAliveTimeout = 60_000;
server.listen(cfg.port, '127.0.0.1', () => process.stdout.write(`listening ${cfg.port}\n`));
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close();
  void pool.destroy();
});
