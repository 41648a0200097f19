// A thin etcd v3 client over etcd's JSON gRPC gateway (POST /v3/...), on undici.
//
// Why the gateway and not the etcd3 npm client: the gateway is etcd's own API, needs no
// dependency beyond undici (already used for proxying), and it reports the compaction
// revision when a watch starts too far back, which etcd3@1.1.2 drops (it is also
// unmaintained since 2023). The cost is this file: base64 keys, int64 strings, NDJSON
// watch streams, and one HTTP connection per watch.
//
// Ranges and transactions skip the gateway: `unary` sends a hand-encoded message over
// etcd's native gRPC (etcd-grpc.ts, node:http2), because through the gateway a create txn
// cost etcd about 1.7× a plain put in CPU (JSON decoding plus a second, internal gRPC hop),
// capping the driver below etcd's put rate whatever the client did (bench/storage.ts,
// BENCHMARKS.md §4). Watches, compaction and the status ping stay on the gateway (`call`).
//
// Endpoints are tried in order; a connection failure moves to the next one. Every unary
// call is bounded by `requestTimeoutMs`, so a dead etcd fails fast with Unavailable.
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { StorageError, unavailable } from '../errors.ts';
import type { EtcdTlsOptions } from '../registry.ts';
import { GrpcChannel, GrpcStatusError } from './etcd-grpc.ts';

export interface EtcdClientOptions {
  endpoints: string[];
  tls?: EtcdTlsOptions;
  requestTimeoutMs?: number;
}

/** An error etcd returned in its JSON body (gRPC status code + message). */
export class EtcdError extends Error {
  override readonly name = 'EtcdError';
  constructor(
    readonly grpcCode: number,
    message: string,
    readonly httpStatus: number,
  ) {
    super(message);
  }
}

export interface EtcdKv {
  key: string;
  value: string;
  create_revision: number;
  mod_revision: number;
}

interface RawKv {
  key?: string;
  value?: string;
  create_revision?: string;
  mod_revision?: string;
}

export interface EtcdHeader {
  revision: number;
}

export const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
export const unb64 = (s: string | undefined): string => (s ? Buffer.from(s, 'base64').toString('utf8') : '');
export const int = (s: string | number | undefined): number => (s === undefined ? 0 : Number(s));

export function decodeKv(raw: RawKv): EtcdKv {
  return { key: unb64(raw.key), value: unb64(raw.value), create_revision: int(raw.create_revision), mod_revision: int(raw.mod_revision) };
}

export function decodeHeader(raw: { revision?: string } | undefined): EtcdHeader {
  return { revision: int(raw?.revision) };
}

/** Errors that mean "this endpoint is unreachable" (or refuses our TLS), so another one may be tried. */
function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code ?? '';
  return /^(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|EPIPE|ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_SOCKET|UND_ERR_CLOSED|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|UND_ERR_ABORTED|UND_ERR_DESTROYED|ERR_HTTP2_[A-Z_]+|ERR_SSL_[A-Z0-9_]+)$/.test(code);
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * POST `body` and collect the whole response, failing with ETIMEDOUT after `timeoutMs`
 * (queueing in the pool included). A dispatch handler rather than `pool.request()`: a create
 * is one small request and one small answer, and the request API's body stream and
 * per-request AbortSignal.timeout cost more client CPU than the rest of the create path
 * (see bench/storage.ts).
 */
function post(pool: Pool, path: string, body: string, timeoutMs: number): Promise<{ statusCode: number; text: string }> {
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    let statusCode = 0;
    const chunks: Buffer[] = [];
    const settle = (err: Error | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve({ statusCode, text: chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8') });
    };
    const timer = setTimeout(() => {
      const err = Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' });
      controller?.abort(err);
      settle(err);
    }, timeoutMs);
    pool.dispatch(
      { path, method: 'POST', headers: JSON_HEADERS, body },
      {
        onRequestStart(c) {
          controller = c;
          if (settled) c.abort(new Error('request timed out'));
        },
        onResponseStart(_c, status) {
          statusCode = status;
        },
        onResponseData(_c, chunk) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          settle(undefined);
        },
        onResponseError(_c, err) {
          settle(err);
        },
      },
    );
  });
}

export class EtcdClient {
  readonly endpoints: string[];
  readonly #pools: Pool[];
  readonly #watchPools: Pool[];
  readonly #grpc: GrpcChannel[];
  readonly #timeout: number;
  #preferred = 0;

  constructor(options: EtcdClientOptions) {
    if (options.endpoints.length === 0) throw new Error('etcd: no endpoints given');
    this.endpoints = options.endpoints.map((e) => e.replace(/\/+$/, ''));
    this.#timeout = options.requestTimeoutMs ?? 5_000;
    const connect = { timeout: Math.min(this.#timeout, 3_000), ...(options.tls ? { ca: options.tls.ca, cert: options.tls.cert, key: options.tls.key } : {}) };
    this.#pools = this.endpoints.map((e) => new Pool(e, { connections: 16, connect, headersTimeout: this.#timeout, bodyTimeout: this.#timeout }));
    // Watches hold their connection for as long as they run: no body timeout, no cap.
    this.#watchPools = this.endpoints.map((e) => new Pool(e, { connect, headersTimeout: this.#timeout, bodyTimeout: 0 }));
    this.#grpc = this.endpoints.map((e) => new GrpcChannel(e, options.tls));
  }

  /** One unary call; tries each endpoint (starting with the last good one) on connection errors. */
  async call<T>(path: string, body: unknown, key = ''): Promise<T> {
    const payload = JSON.stringify(body);
    let lastErr: unknown;
    for (let i = 0; i < this.#pools.length; i++) {
      const idx = (this.#preferred + i) % this.#pools.length;
      try {
        const res = await post(this.#pools[idx], path, payload, this.#timeout);
        this.#preferred = idx;
        const parsed = (res.text ? JSON.parse(res.text) : {}) as T & { error?: string; message?: string; code?: number };
        if (res.statusCode !== 200) {
          const grpcCode = parsed.code ?? 0;
          const message = parsed.message ?? parsed.error ?? `HTTP ${res.statusCode}`;
          // gRPC UNAVAILABLE / DEADLINE_EXCEEDED (no leader, request timed out): try elsewhere.
          if (grpcCode === 14 || grpcCode === 4 || res.statusCode === 503) {
            lastErr = new EtcdError(grpcCode, message, res.statusCode);
            continue;
          }
          throw new EtcdError(grpcCode, message, res.statusCode);
        }
        return parsed;
      } catch (err) {
        if (err instanceof EtcdError || err instanceof StorageError) throw err;
        if (!isConnectionError(err)) throw err;
        lastErr = err;
      }
    }
    throw unavailable(key, `etcd unavailable (${this.endpoints.join(', ')}): ${(lastErr as Error)?.message ?? String(lastErr)}`, lastErr);
  }

  /**
   * One unary call over native gRPC (`path` like /etcdserverpb.KV/Txn, `message` an encoded
   * request); same endpoint order, failover and Unavailable as `call`.
   */
  async unary(path: string, message: Buffer, key = ''): Promise<Buffer> {
    let lastErr: unknown;
    for (let i = 0; i < this.#grpc.length; i++) {
      const idx = (this.#preferred + i) % this.#grpc.length;
      try {
        const res = await this.#grpc[idx].unary(path, message, this.#timeout);
        this.#preferred = idx;
        return res;
      } catch (err) {
        if (err instanceof GrpcStatusError) {
          // UNAVAILABLE / DEADLINE_EXCEEDED (no leader, request timed out): try elsewhere.
          if (err.grpcCode === 14 || err.grpcCode === 4) {
            lastErr = err;
            continue;
          }
          throw new EtcdError(err.grpcCode, err.message, 200);
        }
        if (!isConnectionError(err)) throw err;
        lastErr = err;
      }
    }
    throw unavailable(key, `etcd unavailable (${this.endpoints.join(', ')}): ${(lastErr as Error)?.message ?? String(lastErr)}`, lastErr);
  }

  /** Opens a watch stream on endpoint `attempt % n`; resolves with the response once headers arrive. */
  async openWatch(body: unknown, attempt: number, signal: AbortSignal): Promise<Dispatcher.ResponseData> {
    const idx = (this.#preferred + attempt) % this.#watchPools.length;
    const res = await this.#watchPools[idx].request({
      path: '/v3/watch',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
    if (res.statusCode !== 200) {
      const text = await res.body.text();
      throw new EtcdError(0, `watch: HTTP ${res.statusCode}: ${text.slice(0, 200)}`, res.statusCode);
    }
    return res;
  }

  get endpointCount(): number {
    return this.#pools.length;
  }

  async close(): Promise<void> {
    for (const channel of this.#grpc) channel.close();
    await Promise.all([...this.#pools, ...this.#watchPools].map((p) => p.destroy()));
  }
}

export function isCompactedError(err: unknown): boolean {
  return err instanceof EtcdError && /required revision has been compacted/.test(err.message);
}

export function isFutureRevisionError(err: unknown): boolean {
  return err instanceof EtcdError && /required revision is a future revision/.test(err.message);
}
