// Doctor view: the online doctor's findings (kagg doctor --kubeconfig, run by kagg against
// itself with your credentials), each with why it matters and the fix.
import { apiGet, ApiError, CONSOLE_TOKEN_HEADER, currentToken } from './api.ts';
import { h } from './dom.ts';

interface Finding {
  id: string;
  severity: 'error' | 'warning' | 'info';
  summary: string;
  why: string;
  fix: string;
  subject?: string;
}

interface DoctorReport {
  findings: Finding[];
  checked: Array<{ name: string }>;
  skipped: Array<{ name: string; missing: string[] }>;
  summary: { errors: number; warnings: number; info: number };
}

const ICON = { error: '✖', warning: '▲', info: 'ℹ' } as const;

function finding(f: Finding): HTMLElement {
  return h('li', { class: `finding sev-${f.severity}`, 'data-id': f.id },
    h('h3', {}, h('span', { class: 'sev', 'aria-label': f.severity }, `${ICON[f.severity]} ${f.severity}`), ` ${f.id} `, f.subject ? h('code', {}, f.subject) : undefined),
    h('p', {}, f.summary),
    h('p', { class: 'why' }, h('strong', {}, 'Why: '), f.why),
    h('p', { class: 'fix' }, h('strong', {}, 'Fix: '), h('code', {}, f.fix)));
}

export function doctorView(root: HTMLElement): () => void {
  const abort = new AbortController();
  const load = () => {
    root.replaceChildren(h('h2', {}, 'Doctor'), h('p', { class: 'muted', role: 'status' }, 'Running the online checks…'));
    apiGet<DoctorReport>('/console/api/doctor', abort.signal, { [CONSOLE_TOKEN_HEADER]: currentToken() ?? '' }).then((r) => {
      const again = h('button', { type: 'button' }, 'Run again');
      again.addEventListener('click', load);
      root.replaceChildren(
        h('h2', {}, 'Doctor'),
        h('p', { class: 'status', role: 'status' }, `${r.summary.errors} errors, ${r.summary.warnings} warnings, ${r.summary.info} notes from ${r.checked.length} online checks `, again),
        r.findings.length ? h('ol', { class: 'findings' }, ...r.findings.map(finding)) : h('p', { class: 'ok-note' }, 'No findings: the aggregation layer looks healthy.'),
        h('details', {}, h('summary', {}, `Checks run (${r.checked.length}) and skipped (${r.skipped.length})`),
          h('ul', {}, ...r.checked.map((c) => h('li', {}, `✔ ${c.name}`)), ...r.skipped.map((c) => h('li', {}, `– ${c.name} (needs ${c.missing.join(', ')}; run kagg doctor with local flags)`)))),
      );
    }).catch((err: unknown) => {
      if (abort.signal.aborted) return;
      const msg = err instanceof ApiError ? err.message : String(err);
      root.replaceChildren(h('h2', {}, 'Doctor'), h('p', { class: 'error', role: 'alert' }, msg));
    });
  };
  load();
  return () => abort.abort();
}
