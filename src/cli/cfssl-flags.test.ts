import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boolFlag, parseGoFlags, stringFlag } from './cfssl-flags.ts';

const SPEC = { initca: 'bool', ca: 'string', loglevel: 'int' } as const;

const OK = [
  { name: '-flag=value', args: ['-ca=x.pem', 'csr.json'], ca: 'x.pem', initca: false, positional: ['csr.json'] },
  { name: '-flag value', args: ['-ca', 'x.pem', 'csr.json'], ca: 'x.pem', initca: false, positional: ['csr.json'] },
  { name: '--flag=value', args: ['--ca=x.pem', 'csr.json'], ca: 'x.pem', initca: false, positional: ['csr.json'] },
  { name: 'bool without value', args: ['-initca', 'csr.json'], ca: '', initca: true, positional: ['csr.json'] },
  { name: 'bool=false', args: ['-initca=false', 'csr.json'], ca: '', initca: false, positional: ['csr.json'] },
  { name: 'parsing stops at the first non-flag', args: ['csr.json', '-initca'], ca: '', initca: false, positional: ['csr.json', '-initca'] },
  { name: '- is a positional (stdin)', args: ['-initca', '-'], ca: '', initca: true, positional: ['-'] },
  { name: '-- ends the flags', args: ['--', '-initca'], ca: '', initca: false, positional: ['-initca'] },
] as const;

for (const c of OK) {
  test(`Go flags: ${c.name}`, () => {
    const flags = parseGoFlags(c.args, SPEC, 'x');
    assert.equal(stringFlag(flags, 'ca'), c.ca);
    assert.equal(boolFlag(flags, 'initca'), c.initca);
    assert.deepEqual(flags.positional, c.positional);
  });
}

const BAD = [
  [['-nope'], 'flag provided but not defined: -nope'],
  [['-ca'], 'flag needs an argument: -ca'],
  [['-initca=yes'], 'invalid boolean value "yes" for -initca: parse error'],
  [['-loglevel=high'], 'invalid value "high" for flag -loglevel: parse error'],
  [['-=x'], 'bad flag syntax: -=x'],
] as const;

for (const [args, message] of BAD) {
  test(`Go flags reject ${args.join(' ')} with exit 2`, () => {
    assert.throws(() => parseGoFlags(args, SPEC, 'kagg cfssl gencert'), { name: 'CliError', exitCode: 2, message: `${message} (see 'kagg cfssl gencert -h')` });
  });
}

test('Go flags: -h asks for help', () => {
  assert.equal(parseGoFlags(['-h'], SPEC, 'x').help, true);
});
