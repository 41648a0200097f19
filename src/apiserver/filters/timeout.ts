// Bounds every request that is not long-running (watch, proxy) by the server's request
// timeout or a shorter `?timeout=`; on expiry answers 504 and aborts the request's signal
// (k8s.io/apiserver WithTimeoutForNonLongRunningRequests).
import { timeout } from '../../apimachinery/status.ts';
import { Cancellation } from '../request/cancellation.ts';
import { requestInfoOf, urlOf, withCancellation, type Handler } from '../request/context.ts';
import { isLongRunning } from './long-running.ts';
import { writeStatus } from '../registry/responses.ts';

export interface TimeoutDeps {
  /** Default per-request timeout in ms (kube-apiserver --request-timeout, 60 s). */
  timeoutMs?: number;
}

/** `?timeout=` is a Go duration (`32s`, `5m`); unparseable values are ignored. */
export function queryTimeoutMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

export function withTimeout(next: Handler, deps: TimeoutDeps = {}): Handler {
  const dflt = deps.timeoutMs ?? 60_000;
  return async function timeoutFilter(req, res) {
    const cancel = new Cancellation();
    const onClose = () => {
      if (!res.writableFinished) cancel.abort(new Error('client went away'));
    };
    res.on('close', onClose);
    withCancellation(req, cancel);
    if (isLongRunning(requestInfoOf(req))) {
      await next(req, res);
      return;
    }
    const url = urlOf(req);
    const requested = url.search ? queryTimeoutMs(url.searchParams.get('timeout')) : undefined;
    const ms = requested !== undefined && requested > 0 && requested < dflt ? requested : dflt;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ms);
      timer.unref();
    });
    try {
      const work = Promise.resolve().then(() => next(req, res)).then(() => 'done' as const);
      const outcome = await Promise.race([work, expired]);
      if (outcome === 'timeout') {
        // The handler may still fail after we answered; its error has nowhere to go.
        work.catch(() => {});
        cancel.abort(new Error('request timed out'));
        if (!res.headersSent) writeStatus(res, timeout('request did not complete within requested timeout - context deadline exceeded', 0));
        else res.destroy();
      }
    } finally {
      clearTimeout(timer);
    }
  };
}
