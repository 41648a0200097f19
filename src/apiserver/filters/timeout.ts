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
  return function timeoutFilter(req, res) {
    const cancel = new Cancellation();
    res.on('close', () => {
      if (!res.writableFinished) cancel.abort(new Error('client went away'));
    });
    withCancellation(req, cancel);
    if (isLongRunning(requestInfoOf(req))) return next(req, res);
    const url = urlOf(req);
    const requested = url.search ? queryTimeoutMs(url.searchParams.get('timeout')) : undefined;
    const ms = requested !== undefined && requested > 0 && requested < dflt ? requested : dflt;
    // One timer and one promise per request (no Promise.race): whichever of the handler
    // and the deadline comes first settles it.
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        cancel.abort(new Error('request timed out'));
        if (!res.headersSent) writeStatus(res, timeout('request did not complete within requested timeout - context deadline exceeded', 0));
        else res.destroy();
        resolve();
      }, ms);
      timer.unref();
      const done = (err?: unknown) => {
        // After the deadline answered, the handler's late outcome has nowhere to go.
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err === undefined) resolve();
        else reject(err);
      };
      try {
        const work = next(req, res);
        if (work) work.then(() => done(), (err: unknown) => done(err ?? new Error('handler failed')));
        else done();
      } catch (err) {
        done(err ?? new Error('handler failed'));
      }
    });
  };
}
