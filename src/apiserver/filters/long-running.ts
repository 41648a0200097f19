// The one rule for which requests the timeout filter leaves alone (watches, proxies,
// streaming subresources), as kube-apiserver's BasicLongRunningRequestCheck.
import type { RequestInfo } from '../request/request-info.ts';

const LONG_RUNNING_VERBS = new Set(['watch', 'proxy']);
const LONG_RUNNING_SUBRESOURCES = new Set(['proxy', 'attach', 'exec', 'log', 'portforward']);

export function isLongRunning(info: RequestInfo | undefined): boolean {
  if (!info) return false;
  return LONG_RUNNING_VERBS.has(info.verb) || (info.isResourceRequest && LONG_RUNNING_SUBRESOURCES.has(info.subresource));
}
