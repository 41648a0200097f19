// Go's `flag` package rules, which cfssl and cfssljson use: `-name`, `--name`,
// `-name=value`, `-name value` (not for booleans), parsing stops at the first non-flag
// argument or after `--`. Errors are Go's texts and exit 2 like flag.ExitOnError.
import { CliError } from './io.ts';

export type GoFlagKind = 'bool' | 'string' | 'int';
export type GoFlagSpec = Readonly<Record<string, GoFlagKind>>;

export interface GoFlags {
  values: Map<string, string | boolean | number>;
  positional: string[];
  /** `-h` / `-help` was given (and is not a defined flag). */
  help: boolean;
}

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

export function parseGoFlags(args: readonly string[], spec: GoFlagSpec, usageHint: string): GoFlags {
  const values = new Map<string, string | boolean | number>();
  const fail = (message: string): never => {
    throw new CliError(`${message} (see '${usageHint} -h')`, 2);
  };
  let i = 0;
  while (i < args.length) {
    const arg = args[i];
    if (arg.length < 2 || arg[0] !== '-') break;
    i++;
    if (arg === '--') break;
    const name0 = arg[1] === '-' ? arg.slice(2) : arg.slice(1);
    if (name0 === '' || name0[0] === '-' || name0[0] === '=') fail(`bad flag syntax: ${arg}`);
    const eq = name0.indexOf('=');
    const name = eq >= 0 ? name0.slice(0, eq) : name0;
    const inline = eq >= 0 ? name0.slice(eq + 1) : undefined;
    const kind = spec[name];
    if (!kind) {
      if (name === 'h' || name === 'help') return { values, positional: [], help: true };
      fail(`flag provided but not defined: -${name}`);
    }
    if (kind === 'bool') {
      if (inline === undefined) values.set(name, true);
      else if (TRUE.has(inline)) values.set(name, true);
      else if (FALSE.has(inline)) values.set(name, false);
      else fail(`invalid boolean value ${JSON.stringify(inline)} for -${name}: parse error`);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i >= args.length) fail(`flag needs an argument: -${name}`);
      value = args[i++];
    }
    if (kind === 'int') {
      if (!/^[+-]?\d+$/.test(value!)) fail(`invalid value ${JSON.stringify(value)} for flag -${name}: parse error`);
      values.set(name, Number(value));
    } else values.set(name, value!);
  }
  return { values, positional: args.slice(i), help: false };
}

export function stringFlag(flags: GoFlags, name: string): string {
  const v = flags.values.get(name);
  return typeof v === 'string' ? v : '';
}

export function boolFlag(flags: GoFlags, name: string): boolean {
  return flags.values.get(name) === true;
}

export function intFlag(flags: GoFlags, name: string, fallback: number): number {
  const v = flags.values.get(name);
  return typeof v === 'number' ? v : fallback;
}
