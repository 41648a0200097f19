// Parses what the request is about (verb, namespace, resource, ...) once, for every later filter.
import { parseRequestInfo } from '../request/request-info.ts';
import { withRequestInfo as setRequestInfo, urlOf, type Handler } from '../request/context.ts';

export function withRequestInfo(next: Handler): Handler {
  // Not async: a filter that only passes its promise on allocates no frame of its own.
  return function requestInfo(req, res) {
    const url = urlOf(req);
    setRequestInfo(req, parseRequestInfo(req.method ?? 'GET', url.pathname, url.searchParams));
    return next(req, res);
  };
}
