// --authorization-always-allow-paths (k8s.io/apiserver authorizer/path): non-resource
// requests to these paths are allowed without a SubjectAccessReview; an entry ending in `*`
// is a prefix.
import type { Authorizer } from '../apiserver/authz/authorizer.ts';

export const DEFAULT_ALWAYS_ALLOW_PATHS = ['/healthz', '/readyz', '/livez'] as const;

export function createPathAuthorizer(paths: readonly string[]): Authorizer {
  for (const p of paths) if (p.includes('*') && !p.endsWith('*')) throw new Error(`only trailing * allowed in ${JSON.stringify(p)}`);
  const exact = new Set(paths.filter((p) => !p.endsWith('*')).map((p) => p.replace(/^\/*/, '/')));
  const prefixes = paths.filter((p) => p.endsWith('*')).map((p) => p.slice(0, -1).replace(/^\/*/, '/'));
  return async function alwaysAllowPaths(attrs) {
    if (attrs.isResourceRequest) return { decision: 'no-opinion', reason: '' };
    const path = attrs.path.replace(/^\/*/, '/');
    if (exact.has(path) || prefixes.some((p) => path.startsWith(p))) return { decision: 'allow', reason: '' };
    return { decision: 'no-opinion', reason: '' };
  };
}
