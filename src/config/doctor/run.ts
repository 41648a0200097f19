// Runs every check whose inputs are present and orders the findings; the exit code is
// 2 with any error, 1 with any warning, else 0 (notes do not count).
import { apiServiceChecks } from './apiservice-checks.ts';
import { apiServiceManifestChecks } from './apiservice-manifest-checks.ts';
import { DIAGNOSTICS, type DiagnosticId } from './catalog.ts';
import { configMapChecks } from './configmap-checks.ts';
import { rbacChecks } from './rbac-checks.ts';
import { mountChecks } from './mount-checks.ts';
import { readyzChecks } from './readyz-checks.ts';
import { requestheaderFileChecks, requestheaderFlagChecks } from './requestheader-checks.ts';
import { routingChecks } from './routing-checks.ts';
import { servingChecks } from './serving-checks.ts';
import { SEVERITY_ORDER, type Check, type CheckInput, type DoctorContext, type Finding } from './types.ts';

export const CHECKS: readonly Check[] = [
  requestheaderFlagChecks,
  requestheaderFileChecks,
  servingChecks,
  mountChecks,
  routingChecks,
  apiServiceManifestChecks,
  configMapChecks,
  apiServiceChecks,
  rbacChecks,
  readyzChecks,
];

export interface DoctorReport {
  findings: Finding[];
  /** Checks that ran, and the ids they can report. */
  checked: Array<{ name: string; ids: readonly DiagnosticId[] }>;
  /** Checks that did not run, and the input they lacked. */
  skipped: Array<{ name: string; missing: CheckInput[] }>;
  summary: { errors: number; warnings: number; info: number };
  /** Where the flags came from. */
  flagsSource?: string;
}

function present(ctx: DoctorContext, input: CheckInput): boolean {
  if (input === 'flags') return ctx.flags !== undefined;
  if (input === 'files') return ctx.flags !== undefined && ctx.filesReadable;
  if (input === 'online') return ctx.cluster !== undefined;
  return (ctx.apiServiceFiles?.length ?? 0) > 0;
}

export async function runDoctor(ctx: DoctorContext, checks: readonly Check[] = CHECKS): Promise<DoctorReport> {
  const findings: Finding[] = [];
  const checked: DoctorReport['checked'] = [];
  const skipped: DoctorReport['skipped'] = [];
  for (const check of checks) {
    const missing = check.needs.filter((n) => !present(ctx, n));
    if (missing.length > 0) {
      skipped.push({ name: check.name, missing });
      continue;
    }
    findings.push(...(await check.run(ctx)));
    checked.push({ name: check.name, ids: check.ids });
  }
  const order = Object.keys(DIAGNOSTICS);
  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || order.indexOf(a.id) - order.indexOf(b.id));
  return {
    findings,
    flagsSource: ctx.flagsSource,
    checked,
    skipped,
    summary: {
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      info: findings.filter((f) => f.severity === 'info').length,
    },
  };
}

export function exitCodeFor(report: DoctorReport): 0 | 1 | 2 {
  if (report.summary.errors > 0) return 2;
  return report.summary.warnings > 0 ? 1 : 0;
}

/** Which checks can report each id (for --list and its test). */
export function coverage(checks: readonly Check[] = CHECKS): Map<DiagnosticId, string[]> {
  const map = new Map<DiagnosticId, string[]>();
  for (const c of checks) for (const id of c.ids) map.set(id, [...(map.get(id) ?? []), c.name]);
  return map;
}
