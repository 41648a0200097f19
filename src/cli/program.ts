// Commands that take GNU-style flags use commander; this wires its output and errors to
// the command's io so `run()` stays testable and only bin.ts exits.
import { Command, CommanderError } from 'commander';
import { CliError, type CliIO } from './io.ts';

/** A commander program named `kagg <name>` whose output goes to `io` and which never exits. */
export function createProgram(name: string, io: CliIO): Command {
  const program = new Command(`kagg ${name}`);
  configure(program, io);
  return program;
}

function configure(cmd: Command, io: CliIO): void {
  cmd.exitOverride();
  cmd.configureOutput({
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => io.stderr.write(s),
  });
}

/**
 * Parses `args` with `program` (after configuring every sub-command like the root) and
 * runs the matched action. Returns 0 after `--help`; a usage error becomes a CliError.
 */
export async function runProgram(program: Command, args: string[], io: CliIO): Promise<number> {
  for (const sub of program.commands) configureDeep(sub, io);
  try {
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      // commander has already printed its message to io.stderr
      throw new CliError('', err.exitCode || 1);
    }
    throw err;
  }
}

function configureDeep(cmd: Command, io: CliIO): void {
  configure(cmd, io);
  for (const sub of cmd.commands) configureDeep(sub, io);
}
