// Certificates view: the CA → leaf graph of kagg's --cert-dir, coloured by time to expiry,
// a timeline of expiries, and a detail panel (subject, SANs, usages, issuer, renew command).
import { apiGet, ApiError } from './api.ts';
import { formatDuration, h, s } from './dom.ts';

export interface Cert {
  file: string;
  name: string;
  subject: string;
  issuer: string;
  isCA: boolean;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  residualSeconds: number;
  sans: string[];
  keyUsage: string[];
  extKeyUsage: string[];
  renewCommand?: string;
  children: Cert[];
}

interface CertDoc {
  generatedAt: string;
  roots: Cert[];
  orphans: Cert[];
}

const DAY = 86400;

/** expired, < 30 days (kubeadm warns), < 90 days, fine. */
export function expiryClass(residualSeconds: number): 'expired' | 'expiring' | 'soon' | 'ok' {
  if (residualSeconds <= 0) return 'expired';
  if (residualSeconds < 30 * DAY) return 'expiring';
  if (residualSeconds < 90 * DAY) return 'soon';
  return 'ok';
}

const CLASS_LABEL = { expired: 'expired', expiring: 'expires within 30 days', soon: 'expires within 90 days', ok: 'valid for 90 days or more' } as const;

function flatten(certs: Cert[], depth = 0, out: Array<{ cert: Cert; depth: number; parent?: Cert }> = [], parent?: Cert) {
  for (const c of certs) {
    out.push({ cert: c, depth, parent });
    flatten(c.children, depth + 1, out, c);
  }
  return out;
}

function detail(cert: Cert): HTMLElement {
  const cls = expiryClass(cert.residualSeconds);
  const dl = h('dl', {},
    h('dt', {}, 'File'), h('dd', {}, h('code', {}, cert.file)),
    h('dt', {}, 'Subject'), h('dd', {}, cert.subject),
    h('dt', {}, 'Issuer'), h('dd', {}, cert.issuer || '—'),
    h('dt', {}, 'Valid'), h('dd', {}, `${cert.notBefore || '?'} → ${cert.notAfter}`),
    h('dt', {}, 'Expires in'), h('dd', { class: `exp-${cls}` }, `${formatDuration(cert.residualSeconds)} (${CLASS_LABEL[cls]})`),
    h('dt', {}, 'SANs'), h('dd', {}, cert.sans.length ? h('ul', {}, ...cert.sans.map((x) => h('li', {}, h('code', {}, x)))) : '—'),
    h('dt', {}, 'Key usage'), h('dd', {}, cert.keyUsage.join(', ') || '—'),
    h('dt', {}, 'Extended key usage'), h('dd', {}, cert.extKeyUsage.join(', ') || '—'),
    h('dt', {}, 'Serial'), h('dd', {}, h('code', {}, cert.serialNumber || '—')),
    h('dt', {}, 'Renew'), h('dd', {}, cert.renewCommand ? h('code', { class: 'renew' }, cert.renewCommand) : cert.isCA ? 'CAs are not renewed by kagg certs renew' : 'not renewable by kagg certs renew'),
  );
  return h('div', { class: 'cert-detail', 'data-file': cert.file }, h('h3', {}, cert.name), dl);
}

function graph(certs: Array<{ cert: Cert; depth: number; parent?: Cert }>, select: (c: Cert) => void): SVGElement {
  const COL = 250;
  const ROW = 44;
  const W = 220;
  // Tree layout in depth-first order: a CA sits on the row of its first certificate.
  const pos = new Map<Cert, { x: number; y: number }>();
  let row = 0;
  let deepest = 0;
  for (const { cert, depth } of certs) {
    pos.set(cert, { x: 10 + depth * COL, y: 10 + row * ROW });
    deepest = Math.max(deepest, depth);
    if (cert.children.length === 0) row++;
  }
  const rows = Math.max(1, row);
  const cols = deepest + 1;
  const svg = s('svg', { class: 'cert-graph', viewBox: `0 0 ${cols * COL} ${rows * ROW + 10}`, width: cols * COL, role: 'group', 'aria-label': 'Certificate authorities and the certificates they signed' });
  for (const { cert, parent } of certs) {
    if (!parent) continue;
    const a = pos.get(parent)!;
    const b = pos.get(cert)!;
    svg.append(s('path', { class: 'edge', d: `M${a.x + W} ${a.y + 16} C${a.x + W + 20} ${a.y + 16}, ${b.x - 20} ${b.y + 16}, ${b.x} ${b.y + 16}` }));
  }
  for (const { cert } of certs) {
    const p = pos.get(cert)!;
    const cls = expiryClass(cert.residualSeconds);
    const g = s('g', { class: `node exp-${cls}${cert.isCA ? ' ca' : ''}`, tabindex: 0, role: 'button', 'data-file': cert.file, 'data-expiry': cls,
      'aria-label': `${cert.isCA ? 'CA' : 'certificate'} ${cert.name}, ${CLASS_LABEL[cls]}, ${formatDuration(cert.residualSeconds)} left` },
      s('rect', { x: p.x, y: p.y, width: W, height: 32, rx: 6 }),
      s('text', { x: p.x + 10, y: p.y + 14 }, `${cert.isCA ? 'CA · ' : ''}${cert.name}`),
      s('text', { x: p.x + 10, y: p.y + 27, class: 'sub' }, formatDuration(cert.residualSeconds)),
    );
    g.addEventListener('click', () => select(cert));
    g.addEventListener('keydown', (e) => {
      const ke = e as KeyboardEvent;
      if (ke.key === 'Enter' || ke.key === ' ') {
        ke.preventDefault();
        select(cert);
      }
    });
    svg.append(g);
  }
  return svg;
}

function timeline(certs: Cert[], now: number): HTMLElement {
  const sorted = [...certs].sort((a, b) => a.residualSeconds - b.residualSeconds);
  const maxDays = Math.max(365, ...sorted.map((c) => c.residualSeconds / DAY));
  // Square-root scale: the next weeks get room, ten-year CAs still fit.
  const x = (sec: number) => `${(Math.sqrt(Math.max(0, sec / DAY)) / Math.sqrt(maxDays)) * 100}%`;
  const marks = [30, 90, 365].filter((d) => d <= maxDays);
  return h('div', { class: 'timeline', role: 'list', 'aria-label': 'Expiry timeline, soonest first' },
    h('div', { class: 'axis', 'aria-hidden': 'true' }, h('span', { class: 'tick', style: undefined }, 'now'), ...marks.map((d) => {
      const t = h('span', { class: 'tick', 'data-left': x(d * DAY) }, `${d}d`);
      return t;
    })),
    ...sorted.map((c) => {
      const cls = expiryClass(c.residualSeconds);
      return h('div', { class: `tl-row exp-${cls}`, role: 'listitem', 'data-file': c.file },
        h('span', { class: 'tl-name' }, c.name),
        h('span', { class: 'tl-bar' }, h('span', { class: 'tl-fill', 'data-width': x(c.residualSeconds) })),
        h('span', { class: 'tl-when' }, `${new Date(Date.parse(c.notAfter)).toISOString().slice(0, 10)} · ${formatDuration(c.residualSeconds)}`));
    }),
    h('p', { class: 'muted' }, `as of ${new Date(now).toISOString().slice(0, 16).replace('T', ' ')} UTC`));
}

/** CSP forbids style attributes; widths are set through the CSSOM instead. */
function applyWidths(root: HTMLElement): void {
  root.querySelectorAll<HTMLElement>('[data-width]').forEach((el) => (el.style.width = el.dataset.width ?? '0'));
  root.querySelectorAll<HTMLElement>('[data-left]').forEach((el) => (el.style.left = el.dataset.left ?? '0'));
}

export function certificatesView(root: HTMLElement): () => void {
  const abort = new AbortController();
  root.replaceChildren(h('h2', {}, 'Certificates'), h('p', { class: 'muted', role: 'status' }, 'Loading…'));
  apiGet<CertDoc>('/console/api/certificates', abort.signal).then((doc) => {
    const all = flatten([...doc.roots, ...doc.orphans]);
    const certs = all.map((e) => e.cert);
    const panel = h('aside', { class: 'panel', 'aria-live': 'polite', 'aria-label': 'Certificate details' }, h('p', { class: 'muted' }, 'Select a certificate (click, or Tab and Enter).'));
    const select = (c: Cert) => {
      panel.replaceChildren(detail(c));
      root.querySelectorAll('.node.selected').forEach((n) => n.classList.remove('selected'));
      root.querySelector(`.node[data-file="${CSS.escape(c.file)}"]`)?.classList.add('selected');
    };
    const expiring = certs.filter((c) => c.residualSeconds < 30 * DAY);
    const legend = h('ul', { class: 'legend', 'aria-label': 'Colours' }, ...(['expired', 'expiring', 'soon', 'ok'] as const).map((k) => h('li', { class: `exp-${k}` }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), CLASS_LABEL[k])));
    root.replaceChildren(
      h('h2', {}, 'Certificates'),
      expiring.length
        ? h('p', { class: 'alert', role: 'alert' }, `${expiring.length} certificate${expiring.length > 1 ? 's' : ''} expired or expiring within 30 days: ${expiring.map((c) => c.name).join(', ')}`)
        : h('p', { class: 'ok-note' }, 'No certificate expires within 30 days.'),
      legend,
      h('div', { class: 'cert-layout' }, h('div', { class: 'scroll graph-wrap' }, graph(all, select)), panel),
      h('h3', {}, 'Expiry timeline'),
      timeline(certs, Date.parse(doc.generatedAt)),
      ...(doc.orphans.length ? [h('p', { class: 'muted' }, `${doc.orphans.length} certificate(s) whose CA is not in the directory.`)] : []),
    );
    applyWidths(root);
    const first = expiring[0] ?? certs[0];
    if (first) select(first);
  }).catch((err: unknown) => {
    if (abort.signal.aborted) return;
    const msg = err instanceof ApiError && err.status === 403 ? `${err.message} (the certificates endpoint needs a nonResourceURLs grant on /console/api/*)` : String(err instanceof Error ? err.message : err);
    root.replaceChildren(h('h2', {}, 'Certificates'), h('p', { class: 'error', role: 'alert' }, msg));
  });
  return () => abort.abort();
}
