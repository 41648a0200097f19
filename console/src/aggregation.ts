// Aggregation view: every APIService, live from the watch, with a sparkline of the last hour.
import { availableCondition, isAvailable, type ApiServiceStore, type APIService } from './apiservices.ts';
import { formatDuration, h } from './dom.ts';
import { drawRequestPath } from './request-path.ts';
import { sparkline } from './sparkline.ts';

const latency = new Map<string, number>();

function row(svc: APIService, store: ApiServiceStore, now: number, onTrace: (svc: APIService) => void): HTMLTableRowElement {
  const cond = availableCondition(svc);
  const ok = isAvailable(svc);
  const name = svc.metadata.name;
  const ref = svc.spec.service;
  const since = cond?.lastTransitionTime ? formatDuration(Math.max(0, now - Date.parse(cond.lastTransitionTime)) / 1000) : '—';
  const ms = latency.get(name);
  return h('tr', { 'data-name': name, 'data-available': cond?.status ?? 'Unknown', class: ok ? 'up' : 'down' },
    h('th', { scope: 'row' }, name),
    h('td', { 'data-label': 'Service' }, ref?.name ? `${ref.namespace}/${ref.name}:${ref.port ?? 443}` : 'Local'),
    h('td', { 'data-label': 'Available' }, h('span', { class: `badge ${ok ? 'ok' : 'bad'}` }, ok ? '✔ True' : `✖ ${cond?.status ?? 'Unknown'}`)),
    h('td', { class: 'reason', 'data-label': 'Reason' }, cond?.reason ?? ''),
    h('td', { class: 'message', 'data-label': 'Message' }, cond?.message ?? ''),
    h('td', { 'data-label': 'Last change' }, since === '—' ? since : since === '0m' ? 'just now' : `${since} ago`),
    h('td', { 'data-label': 'Latency' }, ms === undefined ? '—' : `${ms.toFixed(0)} ms`),
    h('td', { 'data-label': 'Last hour' }, sparkline(store.history.get(name) ?? [], now)),
    h('td', { class: 'actions' }, (() => {
      const b = h('button', { type: 'button', 'aria-label': `Trace a request to ${name}` }, 'Trace');
      b.addEventListener('click', () => onTrace(svc));
      return b;
    })()),
  );
}

export function aggregationView(root: HTMLElement, store: ApiServiceStore): () => void {
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const body = h('tbody');
  const trace = h('section', { class: 'trace', 'aria-label': 'Request path' },
    h('p', { class: 'muted' }, 'Choose Trace on a row to send one discovery request through kagg and see its path.'));
  const table = h('table', { class: 'apiservices' },
    h('caption', {}, 'APIServices (live through a watch)'),
    h('thead', {}, h('tr', {}, ...['APIService', 'Service', 'Available', 'Reason', 'Message', 'Last change', 'Latency', 'Last hour', ''].map((t) => h('th', { scope: 'col' }, t)))),
    body);
  root.replaceChildren(h('h2', {}, 'Aggregation'), status, h('div', { class: 'scroll' }, table), trace);

  const onTrace = (svc: APIService) => {
    drawRequestPath(svc, trace).then(() => {
      const ms = /in ([\d.]+) ms/.exec(trace.querySelector('.result')?.textContent ?? '');
      if (ms) latency.set(svc.metadata.name, Number(ms[1]));
      render();
    }).catch((err: unknown) => trace.replaceChildren(h('p', { class: 'error' }, String(err))));
  };
  const render = () => {
    const now = Date.now();
    const items = [...store.items.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const down = items.filter((i) => !isAvailable(i)).length;
    status.textContent = store.error
      ? `Watch interrupted: ${store.error} (retrying)`
      : `${items.length} APIServices, ${down} unavailable${store.connected ? ' · watching' : ''}`;
    status.className = `status ${store.error ? 'error' : ''}`;
    body.replaceChildren(...items.map((svc) => row(svc, store, now, onTrace)));
  };
  render();
  const unsubscribe = store.subscribe(render);
  const tick = setInterval(render, 10_000);
  return () => {
    unsubscribe();
    clearInterval(tick);
  };
}
