// `kagg console`: prints a login link for the web console at /console/ carrying a short-lived
// service-account token (read-only role), made with the kubeconfig's credentials.
import { resolve } from 'node:path';
import { homedir } from 'node:os';
import { KubeconfigError, loadKubeconfig } from '../client/kube-client.ts';
import { createLoginLink, LoginLinkError, MIN_TOKEN_SECONDS } from '../console/login-link.ts';
import { parseGoDuration } from '../pki/mod.ts';
import { CliError, type CliCommand, type CliIO } from './io.ts';
import { createProgram, runProgram } from './program.ts';

interface ConsoleFlags {
  kubeconfig?: string;
  context?: string;
  duration: string;
  view?: 'aggregation' | 'certificates' | 'doctor';
}

export async function runConsole(args: string[], io: CliIO): Promise<number> {
  const program = createProgram('console', io);
  let code = 0;
  program
    .description('Print a login link for the web console (a short-lived token of the kube-system/kagg-console service account, read-only).')
    .option('--kubeconfig <file>', 'admin kubeconfig used to set up the account and request the token (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: current-context)')
    .option('--duration <duration>', `token lifetime (at least ${MIN_TOKEN_SECONDS / 60}m)`, '10m')
    .option('--view <view>', 'open this view: aggregation, certificates or doctor')
    .action(async (flags: ConsoleFlags) => {
      const file = flags.kubeconfig ?? io.env.KUBECONFIG?.split(':')[0] ?? resolve(homedir(), '.kube', 'config');
      let ms: number;
      try {
        ms = parseGoDuration(flags.duration);
      } catch (err) {
        throw new CliError(`kagg console: --duration ${flags.duration}: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (flags.view && !['aggregation', 'certificates', 'doctor'].includes(flags.view)) throw new CliError(`kagg console: --view ${flags.view}: use aggregation, certificates or doctor`);
      try {
        const conn = await loadKubeconfig(resolve(io.cwd, file), flags.context);
        const link = await createLoginLink(conn, { expirationSeconds: ms / 1000, view: flags.view });
        io.stdout.write(`${link.url}\n`);
        io.stderr.write(`Open the link above in a browser. It signs in as ${link.serviceAccount} (read-only) until ${link.expiresAt}; do not share it.\n`);
      } catch (err) {
        if (err instanceof KubeconfigError || err instanceof LoginLinkError) throw new CliError(`kagg console: ${err.message}`, 1, { cause: err });
        if (err instanceof Error && 'code' in err) throw new CliError(`kagg console: ${file}: cannot reach the API server (${String((err as NodeJS.ErrnoException).code)})`, 1, { cause: err });
        throw err;
      }
      code = 0;
    });
  const parsed = await runProgram(program, args, io);
  return parsed === 0 ? code : parsed;
}

export const consoleCommand: CliCommand = {
  name: 'console',
  summary: 'Print a login link for the web console at /console/',
  run: runConsole,
};
