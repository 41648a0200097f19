// Records every request's verb, resource, code and latency when the response ends.
import type { ApiMetrics } from '../metrics.ts';
import { requestInfoOf, type Handler } from '../request/context.ts';

export function withMetrics(next: Handler, deps: { metrics: ApiMetrics }): Handler {
  return function metrics(req, res) {
    const start = process.hrtime.bigint();
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      deps.metrics.observe(requestInfoOf(req), req.method ?? 'GET', res.statusCode, seconds);
    });
    return next(req, res);
  };
}
