// Bad input, side by side: every case gives one clear line on stderr naming the file (and
// the position for JSON), exit 1, nothing on stdout, and — through the cfssljson pipeline —
// no output file written or truncated. Where the real cfssl fails too, it is run as well.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { toolOptions } from '../support/tools.ts';
import { kagg, kaggPipe, real, realPipe, seedDir } from './cfssl-harness.ts';

const TOOLS = toolOptions('cfssl', 'cfssljson');
const CFG = '-config=aggregator-ca-config.json';
const LEAF = ['-ca=ca.pem', '-ca-key=ca-key.pem'];
const SEED_LEAF = '{"CN":"aggregator","hosts":["127.0.0.1","kubernetes"],"key":{"algo":"rsa","size":2048},"names":[{"C":"CN","O":"k8s"}]}';

interface Case {
  name: string;
  files?: Record<string, string>;
  args: string[];
  /** The one stderr line kagg prints (exact, or a pattern). */
  error: string | RegExp;
  /** The real cfssl also fails on this input (exit ≠ 0 or, for its exit-0 bug, empty stdout). */
  cfsslFails: boolean;
}

const CASES: Case[] = [
  { name: 'truncated CSR JSON', files: { 'bad.json': '{"CN":"x","key":{"algo":"rsa",' }, args: ['-initca', 'bad.json'], error: 'bad.json:1:31: invalid JSON: unexpected end of JSON input', cfsslFails: true },
  { name: 'CSR JSON missing a comma', files: { 'bad.json': '{\n  "CN": "x"\n  "key": {}\n}\n' }, args: ['-initca', 'bad.json'], error: `bad.json:3:3: invalid JSON: invalid character '"' after object key:value pair`, cfsslFails: true },
  { name: 'CSR JSON of the wrong type', files: { 'bad.json': '{"CN":"x","key":{"algo":"rsa","size":"2048"}}' }, args: ['-initca', 'bad.json'], error: 'bad.json: field "key.size": expected an integer, got string', cfsslFails: true },
  { name: 'malformed config JSON', files: { 'cfg.json': '{"signing":{"default":{"expiry":"8760h"}' }, args: [...LEAF, '-config=cfg.json', 'leaf.json'], error: 'cfg.json:1:41: invalid JSON: unexpected end of JSON input', cfsslFails: true },
  { name: 'unknown profile', args: [...LEAF, CFG, '-profile=nosuch', 'leaf.json'], error: 'aggregator-ca-config.json: unknown signing profile "nosuch" (profiles: aggregator)', cfsslFails: true },
  { name: 'default profile without usages', args: [...LEAF, CFG, 'leaf.json'], error: 'aggregator-ca-config.json: Invalid policy: no key usage available in signing profile "default"', cfsslFails: true },
  { name: 'profile without expiry', files: { 'cfg.json': '{"signing":{"profiles":{"p":{"usages":["signing"]}}}}' }, args: [...LEAF, '-config=cfg.json', '-profile=p', 'leaf.json'], error: 'cfg.json: failed to load config file: empty expiry string in signing.profiles.p', cfsslFails: true },
  { name: 'expiry with a day unit', files: { 'cfg.json': '{"signing":{"profiles":{"p":{"usages":["signing"],"expiry":"1d"}}}}' }, args: [...LEAF, '-config=cfg.json', '-profile=p', 'leaf.json'], error: 'cfg.json: failed to load config file: signing.profiles.p.expiry: time: unknown unit "d" in duration "1d"', cfsslFails: true },
  { name: 'profile with only unknown usages', files: { 'cfg.json': '{"signing":{"profiles":{"p":{"usages":["bogus"],"expiry":"1h"}}}}' }, args: [...LEAF, '-config=cfg.json', '-profile=p', 'leaf.json'], error: 'cfg.json: failed to load config file: invalid configuration: signing.profiles.p has only unknown usages ("bogus")', cfsslFails: true },
  { name: 'RSA key too small', files: { 'k.json': '{"CN":"x","key":{"algo":"rsa","size":1024}}' }, args: ['-initca', 'k.json'], error: 'k.json: RSA key is too weak (1024 bits; at least 2048)', cfsslFails: true },
  { name: 'RSA key too large', files: { 'k.json': '{"CN":"x","key":{"algo":"rsa","size":16384}}' }, args: ['-initca', 'k.json'], error: 'k.json: RSA key size too large (16384 bits; at most 8192)', cfsslFails: true },
  { name: 'ECDSA size that is no curve', files: { 'k.json': '{"CN":"x","key":{"algo":"ecdsa","size":224}}' }, args: ['-initca', 'k.json'], error: 'k.json: invalid curve: ECDSA size 224 (use 256, 384 or 521)', cfsslFails: true },
  { name: 'unknown key algorithm', files: { 'k.json': '{"CN":"x","key":{"algo":"dsa","size":2048}}' }, args: ['-initca', 'k.json'], error: 'k.json: invalid algorithm "dsa" (use rsa or ecdsa)', cfsslFails: true },
  { name: 'host that is neither IP nor DNS name', files: { 'h.json': '{"CN":"x","hosts":["ok.example","not a host"],"key":{"algo":"rsa","size":2048}}' }, args: [...LEAF, CFG, '-profile=aggregator', 'h.json'], error: 'h.json: host "not a host" is neither an IP address, a DNS name, an e-mail address nor a URI', cfsslFails: false },
  { name: 'bad -hostname entry', args: [...LEAF, CFG, '-profile=aggregator', '-hostname=ok.example,bad_host!', 'leaf.json'], error: '-hostname: host "bad_host!" is neither an IP address, a DNS name, an e-mail address nor a URI', cfsslFails: false },
  { name: 'CA key that does not match the CA certificate', args: ['-ca=ca.pem', '-ca-key=other-key.pem', CFG, '-profile=aggregator', 'leaf.json'], error: 'other-key.pem: the CA private key does not match the CA certificate ca.pem', cfsslFails: true },
  { name: 'CA certificate that is a leaf', args: ['-ca=other.pem', '-ca-key=other-key.pem', CFG, '-profile=aggregator', 'leaf.json'], error: 'other.pem: the certificate is not a CA (BasicConstraints CA:FALSE); cfssl would sign with it anyway, but nothing would verify', cfsslFails: false },
  { name: 'CA certificate that is not one', files: { 'notcert.pem': 'hello\n' }, args: ['-ca=notcert.pem', '-ca-key=ca-key.pem', CFG, '-profile=aggregator', 'leaf.json'], error: 'notcert.pem: no CERTIFICATE PEM block found', cfsslFails: true },
  { name: 'CA key file that holds no key', args: ['-ca=ca.pem', '-ca-key=ca.pem', CFG, '-profile=aggregator', 'leaf.json'], error: 'ca.pem: no RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY PEM block found', cfsslFails: true },
  { name: 'missing CSR file', args: ['-initca', 'nosuchfile.json'], error: 'open nosuchfile.json: no such file or directory', cfsslFails: true },
  { name: 'CSR path that is a directory', args: ['-initca', 'adir'], error: 'read adir: is a directory', cfsslFails: true },
  { name: 'missing config file', args: [...LEAF, '-config=nosuch.json', '-profile=aggregator', 'leaf.json'], error: 'open nosuch.json: no such file or directory', cfsslFails: true },
  { name: 'missing CA key file', args: ['-ca=ca.pem', '-ca-key=nosuch-key.pem', CFG, '-profile=aggregator', 'leaf.json'], error: 'open nosuch-key.pem: no such file or directory', cfsslFails: true },
  { name: 'ca section in a leaf request', files: { 'l.json': '{"CN":"x","key":{"algo":"rsa","size":2048},"ca":{"expiry":"1h"}}' }, args: [...LEAF, CFG, '-profile=aggregator', 'l.json'], error: 'l.json: ca section only permitted in initca', cfsslFails: true },
  { name: 'bad ca.expiry', files: { 'c.json': '{"CN":"x","key":{"algo":"rsa","size":2048},"ca":{"expiry":"10y"}}' }, args: ['-initca', 'c.json'], error: 'c.json: ca.expiry: time: unknown unit "y" in duration "10y"', cfsslFails: true },
  { name: 'no subject at all', files: { 's.json': '{"key":{"algo":"rsa","size":2048}}' }, args: ['-initca', 's.json'], error: 's.json: missing subject information (no CN and no names values)', cfsslFails: true },
  { name: 'no CSR argument', args: ['-initca'], error: 'not enough arguments are supplied --- please refer to the usage', cfsslFails: true },
  { name: 'leaf request without -ca', args: ['leaf.json'], error: 'need a CA certificate (provide one with -ca)', cfsslFails: true },
];

for (const c of CASES) {
  test(`bad input: ${c.name}`, TOOLS, async (t) => {
    const dir = seedDir(t);
    writeFileSync(join(dir, 'leaf.json'), SEED_LEAF);
    mkdirSync(join(dir, 'adir'));
    for (const [name, text] of Object.entries(c.files ?? {})) writeFileSync(join(dir, name), text);
    assert.equal(realPipe(['gencert', '-initca', 'aggregator-ca-csr.json'], 'ca', dir).json.code, 0);
    assert.equal(realPipe(['gencert', '-ca=ca.pem', '-ca-key=ca-key.pem', 'leaf.json'], 'other', dir).json.code, 0);
    writeFileSync(join(dir, 'out.pem'), 'previous contents\n');
    const before = statSync(join(dir, 'out.pem'));

    const { gen, json } = await kaggPipe(['gencert', ...c.args], 'out', dir);
    assert.equal(gen.code, 1, `exit code; stderr: ${gen.stderr}`);
    assert.equal(gen.stdout, '');
    assert.equal(gen.stderr.split('\n').length, 2, `exactly one line: ${JSON.stringify(gen.stderr)}`);
    if (typeof c.error === 'string') assert.equal(gen.stderr, `${c.error}\n`);
    else assert.match(gen.stderr, c.error);
    // The pipeline's cfssljson fails too and leaves existing files alone.
    assert.equal(json.code, 1);
    assert.equal(json.stderr, 'Failed to parse input: <stdin> is empty\n');
    assert.equal(readFileSync(join(dir, 'out.pem'), 'utf8'), 'previous contents\n');
    assert.equal(statSync(join(dir, 'out.pem')).mtimeMs, before.mtimeMs);
    assert.throws(() => statSync(join(dir, 'out-key.pem')), { code: 'ENOENT' });

    const r = real('cfssl', ['gencert', ...c.args], { cwd: dir });
    if (c.cfsslFails) assert.ok(r.code !== 0 || r.stdout === '', `cfssl fails on this input too (exit ${r.code})`);
    else assert.equal(r.code, 0, 'cfssl accepts this input (kagg is stricter)');
  });
}

const JSON_CASES = [
  { name: 'empty input', stdin: '', args: ['-bare', 'x'], error: 'Failed to parse input: <stdin> is empty' },
  { name: 'malformed JSON', stdin: '{bad', args: ['-bare', 'x'], error: "Failed to parse input: <stdin>:1:2: invalid character 'b' looking for beginning of object key string" },
  { name: 'gencert output without -bare', stdin: '{"cert":"c","key":"k"}', args: ['x'], error: "Request failed: <stdin> is not a successful cfssl API response (this looks like 'cfssl gencert' output: add -bare)" },
  { name: 'a field that is not a string', stdin: '{"cert":"-----BEGIN CERTIFICATE-----\\n","key":42}', args: ['-bare', 'x'], error: 'Failed to parse input: <stdin>: field "key" is not a string' },
  { name: 'missing -f file', stdin: '', args: ['-bare', '-f', 'nosuch.json', 'x'], error: 'open nosuch.json: no such file or directory' },
  { name: 'malformed -f file', stdin: '', files: { 'in.json': '{"cert": "a",\n  "key": }' }, args: ['-bare', '-f', 'in.json', 'x'], error: "Failed to parse input: in.json:2:10: invalid character '}' looking for beginning of value" },
] as const;

for (const c of JSON_CASES) {
  test(`cfssljson bad input: ${c.name}`, TOOLS, async (t) => {
    const dir = seedDir(t);
    for (const [name, text] of Object.entries('files' in c ? c.files : {})) writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, 'x.pem'), 'previous\n');
    const k = await kagg(['cfssljson', ...c.args], { cwd: dir, stdin: c.stdin });
    assert.equal(k.code, 1);
    assert.equal(k.stdout, '');
    assert.equal(k.stderr, `${c.error}\n`);
    assert.equal(readFileSync(join(dir, 'x.pem'), 'utf8'), 'previous\n');
    assert.throws(() => statSync(join(dir, 'x-key.pem')), { code: 'ENOENT' });
    const r = real('cfssljson', [...c.args], { cwd: dir, stdin: c.stdin });
    assert.notEqual(r.code, 0, 'cfssljson fails too (a Go panic, exit 2, for a non-string field)');
  });
}

test('Go flag errors: unknown flag, missing value, bad boolean → one line, exit 2', TOOLS, async (t) => {
  const dir = seedDir(t);
  const cases = [
    [['cfssl', 'gencert', '-bogus', 'x.json'], 'flag provided but not defined: -bogus'],
    [['cfssl', 'gencert', '-ca'], 'flag needs an argument: -ca'],
    [['cfssl', 'gencert', '-initca=maybe', 'x.json'], 'invalid boolean value "maybe" for -initca: parse error'],
    [['cfssljson', '-stdout=2'], 'invalid boolean value "2" for -stdout: parse error'],
  ] as const;
  for (const [args, message] of cases) {
    const k = await kagg([...args], { cwd: dir });
    assert.equal(k.code, 2, args.join(' '));
    assert.equal(k.stderr.split('\n').length, 2);
    assert.ok(k.stderr.startsWith(message), k.stderr);
  }
  assert.equal(real('cfssl', ['gencert', '-bogus', 'x.json'], { cwd: dir }).code, 2);
});

/** cfssl lists the defaults from a Go map, so its order changes from run to run: compare the tab-indented entries as a set. */
function sortListed(text: string): string {
  const lines = text.split('\n');
  const entries = lines.filter((l) => l.startsWith('\t')).sort();
  let i = 0;
  return lines.map((l) => (l.startsWith('\t') ? entries[i++] : l)).join('\n');
}

test('print-defaults prints exactly what cfssl prints', TOOLS, async (t) => {
  const dir = seedDir(t);
  for (const what of ['config', 'csr', 'list']) {
    const k = await kagg(['cfssl', 'print-defaults', what], { cwd: dir });
    const r = real('cfssl', ['print-defaults', what], { cwd: dir });
    assert.equal(k.code, 0);
    assert.equal(sortListed(k.stdout), sortListed(r.stdout), what);
  }
  const k = await kagg(['cfssl', 'print-defaults'], { cwd: dir });
  const r = real('cfssl', ['print-defaults'], { cwd: dir });
  assert.equal(k.code, r.code);
  assert.equal(sortListed(k.stderr), sortListed(r.stderr));
});

test('gencert with flags written like the article (-flag value, stdin CSR via -)', TOOLS, async (t) => {
  const dir = seedDir(t);
  assert.equal((await kaggPipe(['gencert', '-initca', 'aggregator-ca-csr.json'], 'ca', dir)).json.code, 0);
  const csr = readFileSync(join(dir, 'aggregator-csr.json'), 'utf8');
  const gen = await kagg(['cfssl', 'gencert', '-ca', 'ca.pem', '-ca-key', 'ca-key.pem', '-config', 'aggregator-ca-config.json', '-profile', 'aggregator', '-'], { cwd: dir, stdin: csr });
  assert.equal(gen.code, 0, gen.stderr);
  const json = await kagg(['cfssljson', '-bare', '-f', '-', 'leaf'], { cwd: dir, stdin: gen.stdout });
  assert.equal(json.code, 0, json.stderr);
  assert.equal(statSync(join(dir, 'leaf-key.pem')).mode & 0o777, 0o600);
  assert.equal(real('openssl', ['verify', '-CAfile', 'ca.pem', 'leaf.pem'], { cwd: dir }).code, 0);
});
