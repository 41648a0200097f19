// Upstream's webhook backoff for delegated reviews (aggregation.md §6.4): 0.5 s × 1.5 with
// 0.2 jitter, 5 steps, retried only on transport errors, 429 and 5xx.
import type { KubeResponse } from '../client/kube-client.ts';

export interface RetryOptions {
  steps?: number;
  initialMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const WEBHOOK_BACKOFF = { steps: 5, initialMs: 500, factor: 1.5, jitter: 0.2 } as const;

function retryable(r: KubeResponse): boolean {
  return r.status === 429 || r.status >= 500;
}

export async function withRetry(call: () => Promise<KubeResponse>, options: RetryOptions = {}): Promise<KubeResponse> {
  const steps = options.steps ?? WEBHOOK_BACKOFF.steps;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  let delay = options.initialMs ?? WEBHOOK_BACKOFF.initialMs;
  for (let step = 1; ; step++) {
    let result: KubeResponse | Error;
    try {
      result = await call();
    } catch (err) {
      result = err instanceof Error ? err : new Error(String(err));
    }
    const again = result instanceof Error || retryable(result);
    if (!again || step >= steps) {
      if (result instanceof Error) throw result;
      return result;
    }
    await sleep(delay * (1 + WEBHOOK_BACKOFF.jitter * random()));
    delay *= WEBHOOK_BACKOFF.factor;
  }
}
