// The doctor's output: a readable report, JSON, and the --list coverage table.
import { DIAGNOSTICS, DIAGNOSTIC_IDS } from './catalog.ts';
import { coverage, type DoctorReport } from './run.ts';

const LABEL = { error: 'ERROR', warning: 'WARNING', info: 'NOTE' } as const;

export function renderText(report: DoctorReport): string {
  const lines: string[] = [];
  for (const f of report.findings) {
    lines.push(`${LABEL[f.severity].padEnd(7)} ${f.id}  ${f.summary}`);
    lines.push(`             why: ${f.why}`);
    lines.push(`             fix: ${f.fix}`);
    lines.push('');
  }
  const { errors, warnings, info } = report.summary;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (report.findings.length === 0) lines.push('No problems found.');
  lines.push(`${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(info, 'note')}.`);
  lines.push(`Checked: ${report.checked.map((c) => c.name).join(', ') || 'nothing'}${report.flagsSource ? ` (flags from ${report.flagsSource})` : ''}.`);
  if (report.skipped.length > 0) {
    const why = { flags: '--manifest/--flags-file', files: 'the flags of this host (--manifest/--flags-file)', online: '--kubeconfig', 'apiservice-files': '--apiservice' } as const;
    lines.push(`Not checked: ${report.skipped.map((s) => `${s.name} (needs ${s.missing.map((m) => why[m]).join(', ')})`).join('; ')}.`);
  }
  return `${lines.join('\n')}\n`;
}

export function renderJson(report: DoctorReport): string {
  return `${JSON.stringify({ findings: report.findings, summary: report.summary, checked: report.checked.map((c) => ({ name: c.name, ids: c.ids })), skipped: report.skipped }, null, 2)}\n`;
}

export function renderList(): string {
  const cov = coverage();
  const rows = DIAGNOSTIC_IDS.map((id) => {
    const d: { title: string; decidedBy: readonly string[]; undecidable?: string } = DIAGNOSTICS[id];
    const how = d.decidedBy.length > 0 ? d.decidedBy.join('+') : 'not decidable';
    const note = d.decidedBy.length > 0 ? `  [${(cov.get(id) ?? []).join(', ')}]` : `  (${d.undecidable ?? ''})`;
    return `${id}  ${how.padEnd(19)} ${d.title}${note}`;
  });
  return `ID   DECIDED FROM        DIAGNOSTIC  [CHECKS]\n${rows.join('\n')}\n`;
}

export function listJson(): string {
  const cov = coverage();
  return `${JSON.stringify(DIAGNOSTIC_IDS.map((id) => {
    const d: { title: string; decidedBy: readonly string[]; undecidable?: string } = DIAGNOSTICS[id];
    return { id, title: d.title, decidedBy: d.decidedBy, covered: d.decidedBy.length > 0, checks: cov.get(id) ?? [], ...(d.undecidable ? { undecidable: d.undecidable } : {}) };
  }), null, 2)}\n`;
}
