// One call drawn as client → kagg → backend, with the headers kagg strips and the ones it adds
// (X-Remote-* identity and X-Forwarded-*, as src/aggregator/proxy/headers.ts writes them).
import { timedGet } from './api.ts';
import type { APIService } from './apiservices.ts';
import { h } from './dom.ts';
import { whoAmI, type UserInfo } from './identity.ts';

export function backendHost(svc: APIService): string | undefined {
  const ref = svc.spec.service;
  if (!ref?.name) return undefined;
  return `${ref.name}.${ref.namespace ?? 'default'}.svc:${ref.port ?? 443}`;
}

export function addedHeaders(user: UserInfo, host: string, path: string, auditId?: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (user.username) out.push(['X-Remote-User', user.username]);
  if (user.uid) out.push(['X-Remote-Uid', user.uid]);
  for (const g of user.groups ?? []) out.push(['X-Remote-Group', g]);
  for (const [k, vs] of Object.entries(user.extra ?? {})) for (const v of vs) out.push([`X-Remote-Extra-${encodeURIComponent(k)}`, v]);
  out.push(['X-Forwarded-For', '(your address)'], ['X-Forwarded-Proto', 'https'], ['X-Forwarded-Host', host], ['X-Forwarded-Uri', path]);
  if (auditId) out.push(['Audit-Id', auditId]);
  return out;
}

function headerList(label: string, rows: Array<[string, string]>, cls: string): HTMLElement {
  return h('div', { class: `headers ${cls}` }, h('h4', {}, label), h('ul', {}, ...rows.map(([k, v]) => h('li', {}, h('code', {}, `${k}: ${v}`)))));
}

function hop(title: string, detail: string): HTMLElement {
  return h('div', { class: 'hop', role: 'listitem' }, h('strong', {}, title), h('span', {}, detail));
}

/** Runs one discovery GET through kagg and draws its path. */
export async function drawRequestPath(svc: APIService, into: HTMLElement): Promise<void> {
  const group = svc.spec.group ?? '';
  const path = group ? `/apis/${group}/${svc.spec.version ?? ''}` : '/api/v1';
  into.replaceChildren(h('p', { class: 'muted' }, `GET ${path} …`));
  const [result, user] = await Promise.all([timedGet(path), whoAmI().catch(() => ({}) as UserInfo)]);
  const host = backendHost(svc);
  const flow = h('div', { class: 'flow', role: 'list', 'aria-label': `request path of GET ${path}` },
    hop('Browser', `GET ${path}`),
    h('div', { class: 'arrow', 'aria-hidden': 'true' }, '→'),
    hop('kagg', 'authenticates, authorizes, proxies'),
    h('div', { class: 'arrow', 'aria-hidden': 'true' }, '→'),
    hop(host ? 'Backend' : 'kagg (local)', host ?? `${svc.metadata.name} is served by kagg itself`),
  );
  into.replaceChildren(
    h('h3', {}, `Request path: ${svc.metadata.name}`),
    flow,
    h('p', { class: 'result', 'data-status': result.status }, `HTTP ${result.status} in ${result.ms.toFixed(1)} ms (measured in the browser, through kagg)`),
    h('div', { class: 'header-columns' },
      headerList('Browser → kagg', [['Authorization', 'Bearer •••• (your token)'], ['Accept', 'application/json']], 'in'),
      host
        ? headerList('kagg → backend (mTLS with the proxy client certificate)', addedHeaders(user, host, path, result.auditId), 'out')
        : h('p', { class: 'muted' }, 'No backend: a local APIService is answered in process.'),
      host ? headerList('Removed by kagg', [['Authorization', '(never forwarded)'], ['Impersonate-*', '(resolved by kagg)'], ['X-Remote-* from the client', '(replaced)']], 'strip') : undefined,
    ),
  );
}
