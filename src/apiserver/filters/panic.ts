// Outermost filter: an exception anywhere below becomes a Status instead of a dropped
// connection, and the server keeps serving (k8s.io/apiserver WithPanicRecovery).
import type { Handler } from '../request/context.ts';
import { writeStatus } from '../registry/responses.ts';

export function withPanicRecovery(next: Handler): Handler {
  return async function panicRecovery(req, res) {
    try {
      await next(req, res);
    } catch (err) {
      if (res.headersSent) res.destroy();
      else writeStatus(res, err);
    }
  };
}
