// `kagg`: dispatches to one command. The only place that turns errors into exit codes.
import { COMMANDS } from './commands.ts';
import { CliError, processIO, type CliIO } from './io.ts';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 8);
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: kagg <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'kagg <command> --help' for the options of a command.\n`;
}

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name ? 0 : 1;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`kagg: unknown command "${name}"\n${usage()}`);
    return 1;
  }
  try {
    return await (await command.load()).run(rest, io);
  } catch (err) {
    if (err instanceof CliError) {
      if (err.message) io.stderr.write(`${err.message}\n`);
      return err.exitCode;
    }
    io.stderr.write(`kagg ${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
