// Bounded write loops for fault tests: `concurrency` writers create ConfigMaps through kagg
// over keep-alive TLS until a count or a deadline, recording every acknowledged (201) name
// with its resourceVersion and every failure by status or error code.
import { Agent, request } from 'node:https';

export interface WriteTarget {
  url: string;
  ca: string;
  cert: string;
  key: string;
}

export interface WriteLoopResult {
  acked: Map<string, string>;
  /** status code or error code → count. */
  failures: Map<string, number>;
  attempts: number;
}

export interface WriteLoopOptions {
  namespace?: string;
  prefix: string;
  concurrency?: number;
  maxWrites: number;
  deadlineMs: number;
  /** Stops the loop early. */
  signal?: AbortSignal;
  /** Called after each acknowledged write (e.g. to kill something at the right moment). */
  onAck?(count: number): void;
  /** The target may change (a restarted server); read before each request. */
  target: () => WriteTarget;
}

export function postJson(target: WriteTarget, path: string, body: unknown, agent?: Agent, timeoutMs = 10_000): Promise<{ status: number; text: string }> {
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, target.url), { method: 'POST', ca: target.ca, cert: target.cert, key: target.key, agent: agent ?? false, headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': data.length }, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(data);
  });
}

export async function runWriteLoop(o: WriteLoopOptions): Promise<WriteLoopResult> {
  const result: WriteLoopResult = { acked: new Map(), failures: new Map(), attempts: 0 };
  const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency ?? 4 });
  const deadline = Date.now() + o.deadlineMs;
  let next = 0;
  const ns = o.namespace ?? 'default';
  const writer = async () => {
    while (next < o.maxWrites && Date.now() < deadline && !o.signal?.aborted) {
      const name = `${o.prefix}-${next++}`;
      result.attempts++;
      try {
        const res = await postJson(o.target(), `/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { n: name } }, agent);
        if (res.status === 201) {
          result.acked.set(name, String((JSON.parse(res.text) as { metadata: { resourceVersion: string } }).metadata.resourceVersion));
          o.onAck?.(result.acked.size);
        } else {
          const key = String(res.status);
          result.failures.set(key, (result.failures.get(key) ?? 0) + 1);
          await new Promise((r) => setTimeout(r, 20));
        }
      } catch (err) {
        const key = (err as NodeJS.ErrnoException).code ?? 'error';
        result.failures.set(key, (result.failures.get(key) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: o.concurrency ?? 4 }, writer));
  } finally {
    agent.destroy();
  }
  return result;
}
