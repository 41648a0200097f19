// The online doctor for the console: `kagg doctor --kubeconfig` against this kagg, made with
// the caller's own token, so the findings show only what the caller may read.
import type { IncomingMessage } from 'node:http';
import { badRequest } from '../apimachinery/status.ts';
import { fetchClusterState } from '../config/doctor/cluster-state.ts';
import { createDoctorContext } from '../config/doctor/context.ts';
import { runDoctor, type DoctorReport } from '../config/doctor/run.ts';
import { selfClient } from './self-client.ts';

export type ConsoleDoctorReport = Pick<DoctorReport, 'findings' | 'summary' | 'checked' | 'skipped'> & { kind: 'ConsoleDoctorReport'; server: string };

/**
 * kagg's authentication filter removes Authorization once it has read it, so the page sends
 * its token a second time in this header for the doctor's calls back into kagg. Each of those
 * calls is authenticated and authorized again: the header gives no more than the token does.
 */
export const CONSOLE_TOKEN_HEADER = 'x-kagg-console-token';

function bearer(req: IncomingMessage): string | undefined {
  const value = req.headers[CONSOLE_TOKEN_HEADER];
  return typeof value === 'string' && /^\S+$/.test(value) ? value : undefined;
}

export async function runConsoleDoctor(req: IncomingMessage, options: { now?: Date } = {}): Promise<ConsoleDoctorReport> {
  const token = bearer(req);
  if (!token) throw badRequest('the doctor runs with your token (header X-Kagg-Console-Token): open the console through the link kagg console prints');
  const client = selfClient(req, token);
  if (!client) throw badRequest('the doctor needs a TLS connection to this server');
  const cluster = await fetchClusterState(client);
  const report = await runDoctor(createDoctorContext({ now: options.now, filesReadable: false, cluster }));
  return { kind: 'ConsoleDoctorReport', server: client.server, findings: report.findings, summary: report.summary, checked: report.checked, skipped: report.skipped };
}
