// TLS to a backend (spec 2.7): one keep-alive undici Agent per distinct backend TLS
// configuration, with the proxy client certificate, servername `<svc>.<ns>.svc`, the
// caBundle as the only roots (or system roots), or no verification.
import { createHash, X509Certificate } from 'node:crypto';
import { createSecureContext, type ConnectionOptions } from 'node:tls';
import { Agent } from 'undici';

export interface ClientCertificate {
  cert: Buffer;
  key: Buffer;
  /** Bumped on every reload; part of the transport key so new pairs get new pools. */
  generation: number;
}

export interface BackendTLSConfig {
  serverName: string;
  /** Decoded caBundle; empty ⇒ system roots. */
  caBundle: Buffer;
  insecureSkipTLSVerify: boolean;
  clientCert?: ClientCertificate;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Validates a PEM bundle as Go's x509.CertPool.AppendCertsFromPEM would (throws the upstream text). */
export function parseRootCAs(pem: Buffer): string[] {
  const blocks = pem.toString('utf8').match(PEM_CERT) ?? [];
  const ok = blocks.filter((b) => {
    try {
      new X509Certificate(b);
      return true;
    } catch {
      return false;
    }
  });
  if (ok.length === 0) throw new Error('unable to load root certificates: unable to parse bytes as PEM block');
  return ok;
}

/** node:tls options for a backend connection; throws on a bad caBundle. */
export function backendTLSOptions(cfg: BackendTLSConfig): ConnectionOptions {
  const opts: ConnectionOptions = {
    servername: cfg.serverName,
    minVersion: 'TLSv1.2',
    rejectUnauthorized: !cfg.insecureSkipTLSVerify,
    ALPNProtocols: ['http/1.1'],
  };
  if (!cfg.insecureSkipTLSVerify && cfg.caBundle.length > 0) opts.ca = parseRootCAs(cfg.caBundle);
  if (cfg.clientCert) {
    opts.cert = cfg.clientCert.cert;
    opts.key = cfg.clientCert.key;
  }
  return opts;
}

export function transportKey(cfg: BackendTLSConfig): string {
  const h = createHash('sha256').update(cfg.caBundle).digest('hex').slice(0, 16);
  return `${cfg.serverName}|${h}|${cfg.insecureSkipTLSVerify}|${cfg.clientCert?.generation ?? 'none'}`;
}

export interface BackendTransport {
  key: string;
  agent: Agent;
  tls: ConnectionOptions;
}

/**
 * Agents shared by every snapshot with the same TLS configuration. `retain(keys)` closes
 * the agents no snapshot uses any more; `close()` waits for in-flight requests.
 */
export interface TransportPool {
  get(cfg: BackendTLSConfig): BackendTransport;
  retain(keys: ReadonlySet<string>): void;
  close(): Promise<void>;
}

export function createTransportPool(options: { connections?: number } = {}): TransportPool {
  const agents = new Map<string, BackendTransport>();
  return {
    get(cfg) {
      const key = transportKey(cfg);
      let t = agents.get(key);
      if (!t) {
        const tls = backendTLSOptions(cfg);
        // No cap on connections per backend (Go's transport has none): a watch holds its connection
        // for its whole life, so a cap would queue every later request behind open watches.
        // One SecureContext for every connection to this backend: building it parses the PEM
        // material, which otherwise happens on each new connection.
        const agent = new Agent({ connections: options.connections ?? null, keepAliveTimeout: 30_000, connect: { ...tls, secureContext: createSecureContext(tls) } });
        t = { key, agent, tls };
        agents.set(key, t);
      }
      return t;
    },
    retain(keys) {
      for (const [key, t] of agents) {
        if (keys.has(key)) continue;
        agents.delete(key);
        // close() lets in-flight requests (watches included) finish; new ones use the new agent.
        t.agent.close().catch(() => {});
      }
    },
    async close() {
      const all = [...agents.values()];
      agents.clear();
      await Promise.all(all.map((t) => t.agent.destroy().catch(() => {})));
    },
  };
}
