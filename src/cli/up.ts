// `kagg up` / `kagg down`: the local system in one command (see src/local/up.ts).
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Option } from 'commander';
import { stateDir } from '../local/state-dir.ts';
import { isAlive, stopPid } from '../local/supervisor.ts';
import { recordedPids, up } from '../local/up.ts';
import { CliError, type CliCommand, type CliIO } from './io.ts';
import { createProgram, runProgram } from './program.ts';

const KAGG_BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'kagg.mjs');

interface UpFlags {
  stateDir: string;
  port: string;
  wardlePort: string;
  storage: 'sqlite' | 'etcd';
  detach?: boolean;
}

function parsePort(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliError(`kagg up: ${flag} must be a port number, got "${text}"`);
  return n;
}

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const done = (sig: string) => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(sig);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

/** Refuses to start a second `up` on a state directory whose `up` is still running. */
async function assertNotRunning(flags: UpFlags, io: CliIO): Promise<void> {
  const state = stateDir(flags.stateDir, io.cwd);
  const previous = Number((await readFile(state.upPid, 'utf8').catch(() => '')).trim());
  if (previous && previous !== process.pid && isAlive(previous)) {
    throw new CliError(`kagg up: already running (pid ${previous}) with state in ${state.root}; run 'kagg down --state-dir ${flags.stateDir}' first`);
  }
}

async function runForeground(flags: UpFlags, io: CliIO): Promise<number> {
  const state = stateDir(flags.stateDir, io.cwd);
  await assertNotRunning(flags, io);
  await mkdir(state.root, { recursive: true, mode: 0o700 });
  await writeFile(state.upPid, `${process.pid}\n`);
  const log = (line: string) => io.stdout.write(`${line}\n`);
  let stack;
  try {
    stack = await up({
      stateDir: flags.stateDir, cwd: io.cwd,
      port: parsePort(flags.port, '--port'), wardlePort: parsePort(flags.wardlePort, '--wardle-port'),
      storage: flags.storage, log,
    });
  } catch (err) {
    await rm(state.upPid, { force: true });
    throw new CliError(`kagg up: ${err instanceof Error ? err.message : String(err)} (logs in ${join(state.logs)})`, 1, { cause: err });
  }
  const rel = relative(io.cwd, state.adminKubeconfig);
  const kubeconfig = rel && !rel.startsWith('..') ? rel : state.adminKubeconfig;
  io.stdout.write([
    '',
    `kagg is up: ${stack.server} (state in ${state.root}, logs in ${state.logs})`,
    '',
    'Next:',
    `  export KUBECONFIG=${kubeconfig}`,
    '  kubectl get apiservices',
    '  kubectl get flunders -A',
    `  node bin/kagg.mjs console --kubeconfig ${kubeconfig}   # a login link to the web console`,
    '',
    flags.detach === undefined ? 'Press Ctrl-C to stop everything.' : `Stop with: kagg down --state-dir ${flags.stateDir}`,
    '',
  ].join('\n'));
  const outcome = await Promise.race([waitForSignal().then((s) => ({ signal: s })), stack.crashed.then((c) => ({ crash: c }))]);
  if ('crash' in outcome) io.stderr.write(`kagg up: ${outcome.crash.name} exited (${outcome.crash.status}); stopping everything\n`);
  await stack.stop();
  await rm(state.upPid, { force: true });
  io.stdout.write('kagg up: stopped\n');
  return 'crash' in outcome ? 1 : 0;
}

/** `--detach`: run the foreground `up` as a detached child and return once it is ready. */
async function runDetached(flags: UpFlags, args: string[], io: CliIO): Promise<number> {
  const state = stateDir(flags.stateDir, io.cwd);
  await assertNotRunning(flags, io);
  await mkdir(state.logs, { recursive: true, mode: 0o700 });
  await rm(state.readyMarker, { force: true });
  const logFile = join(state.logs, 'up.log');
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, [KAGG_BIN, 'up', ...args.filter((a) => a !== '--detach'), '--detached-child'], {
    cwd: io.cwd, detached: true, stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  child.unref();
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (await stat(state.readyMarker).then(() => true, () => false)) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      const tail = (await readFile(logFile, 'utf8').catch(() => '')).split('\n').slice(-15).join('\n');
      if (child.exitCode === null) await stopPid(child.pid!);
      throw new CliError(`kagg up --detach: the system did not come up; last lines of ${logFile}:\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  io.stdout.write(await readFile(logFile, 'utf8'));
  io.stdout.write(`kagg up: running in the background (pid ${child.pid}); stop it with 'kagg down --state-dir ${flags.stateDir}'\n`);
  return 0;
}

export async function runUp(args: string[], io: CliIO): Promise<number> {
  const program = createProgram('up', io)
    .description('Bring up kagg, the sample wardle server and its APIServices on 127.0.0.1')
    .option('--state-dir <dir>', 'where certificates, data, logs and the kubeconfig live', '.kagg')
    .option('--port <port>', 'kagg secure port', '6443')
    .option('--wardle-port <port>', 'sample server port (0: any free port)', '0')
    .addOption(new Option('--storage <type>', 'storage backend').choices(['sqlite', 'etcd']).default('sqlite'))
    .option('--detach', 'return once everything is Available; stop with kagg down')
    .addOption(new Option('--detached-child').hideHelp());
  let code = 0;
  program.action(async (flags: UpFlags & { detachedChild?: boolean }) => {
    if (flags.detach) code = await runDetached(flags, args, io);
    else code = await runForeground(flags.detachedChild ? { ...flags, detach: false } : flags, io);
  });
  const parsed = await runProgram(program, args, io);
  return parsed || code;
}

export async function runDown(args: string[], io: CliIO): Promise<number> {
  const program = createProgram('down', io)
    .description('Stop what kagg up started')
    .option('--state-dir <dir>', 'the state directory kagg up used', '.kagg');
  program.action(async (flags: { stateDir: string }) => {
    const state = stateDir(flags.stateDir, io.cwd);
    const pid = Number((await readFile(state.upPid, 'utf8').catch(() => '')).trim());
    const children = await recordedPids(state);
    if (!pid && children.length === 0) {
      io.stdout.write(`kagg down: nothing running for ${state.root}\n`);
      return;
    }
    if (pid) await stopPid(pid, 20_000);
    for (const c of children.reverse()) await stopPid(c.pid);
    await rm(state.upPid, { force: true });
    await rm(state.childPids, { force: true });
    await rm(state.readyMarker, { force: true });
    io.stdout.write(`kagg down: stopped (state kept in ${state.root})\n`);
  });
  return runProgram(program, args, io);
}

export const upCommand: CliCommand = { name: 'up', summary: 'Bring the whole local system up (kagg + sample server)', run: runUp };
export const downCommand: CliCommand = { name: 'down', summary: 'Stop what kagg up started', run: runDown };
