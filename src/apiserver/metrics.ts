// Prometheus metrics (prom-client, one module): request counts and latency by verb, group,
// version, resource, subresource, scope and code, with kube-apiserver's metric names.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestInfo } from './request/request-info.ts';

const LATENCY_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];
/** Bound on the memo of label sets (each distinct one is a series in prom-client anyway). */
const MAX_CACHED_SERIES = 10_000;
const LABELS = ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const;

export interface ApiMetrics {
  registry: Registry;
  observe(info: RequestInfo | undefined, method: string, code: number, seconds: number): void;
  /** GET /metrics. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

const VERB_NAMES: Record<string, string> = {
  get: 'GET', list: 'LIST', watch: 'WATCH', create: 'POST', update: 'PUT', patch: 'PATCH', delete: 'DELETE', deletecollection: 'DELETE', proxy: 'CONNECT',
};

/** kube-apiserver's `verb` label: LIST, WATCH, GET, POST, ... (metrics.CleanVerb). */
export function metricVerb(info: RequestInfo | undefined, method: string): string {
  if (info?.isResourceRequest) return VERB_NAMES[info.verb] ?? info.verb.toUpperCase();
  return method.toUpperCase();
}

function scopeOf(info: RequestInfo | undefined): string {
  if (!info?.isResourceRequest) return '';
  if (info.name) return 'resource';
  return info.namespace ? 'namespace' : 'cluster';
}

export function createApiMetrics(options: { defaultMetrics?: boolean } = {}): ApiMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const total = new Counter({ name: 'apiserver_request_total', help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.', labelNames: [...LABELS, 'code'], registers: [registry] });
  const duration = new Histogram({ name: 'apiserver_request_duration_seconds', help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.', labelNames: [...LABELS], buckets: LATENCY_BUCKETS, registers: [registry] });
  const children = new Map<string, { total: { inc(): void }; duration: { observe(v: number): void } }>();
  return {
    registry,
    observe(info, method, code, seconds) {
      const verb = metricVerb(info, method);
      // One label set per distinct request shape: prom-client hashes the labels on every
      // call otherwise, which is measurable on the proxy's hot path.
      const key = `${verb}|${info?.apiGroup ?? ''}|${info?.apiVersion ?? ''}|${info?.resource ?? ''}|${info?.subresource ?? ''}|${scopeOf(info)}|${code}`;
      let series = children.get(key);
      if (!series) {
        const labels = {
          verb,
          dry_run: '',
          group: info?.apiGroup ?? '',
          version: info?.apiVersion ?? '',
          resource: info?.resource ?? '',
          subresource: info?.subresource ?? '',
          scope: scopeOf(info),
          component: 'apiserver',
        };
        series = { total: total.labels({ ...labels, code: String(code) }), duration: duration.labels(labels) };
        if (children.size < MAX_CACHED_SERIES) children.set(key, series);
      }
      series.total.inc();
      series.duration.observe(seconds);
    },
    async handle(_req, res) {
      const body = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(body);
    },
  };
}
