// `kagg apiserver enable-aggregation` on the seed manifest, a hand-edited manifest, a
// systemd unit and an env file: golden diffs, idempotency, backups, and refusals that
// leave the file byte-identical. Certificates come from `kagg certs init` and src/pki (test/fixtures/config/pki.ts).
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../../src/cli/bin.ts';
import { ApiserverFlags } from '../../src/config/flags.ts';
import { parseDeployment } from '../../src/config/enable-aggregation.ts';
import { spawnSync } from 'node:child_process';
import { captureIO } from '../support/cli-io.ts';
import { toolOptions } from '../support/tools.ts';
import { assertGolden, fixture } from '../fixtures/config/golden.ts';
import { makeAggregationTree, makeCA, makeLeaf } from '../fixtures/config/pki.ts';

const PREFIX = '/etc/kubernetes/pki';

describe('kagg apiserver enable-aggregation', () => {
  let root: string;
  let pki: string;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kagg-enable-'));
    pki = join(root, 'pki');
    await makeAggregationTree(pki);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  function copy(name: string): string {
    const dir = mkdtempSync(join(root, 'case-'));
    const path = join(dir, name);
    copyFileSync(fixture(name), path);
    return path;
  }

  async function kagg(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const io = captureIO({ cwd: root });
    const code = await main(['apiserver', 'enable-aggregation', ...args], io);
    return { code, out: io.out(), err: io.err() };
  }

  const CASES = [
    { name: 'seed manifest to the aggregator CA', file: 'seed-kube-apiserver.yaml', kind: '--manifest', extra: ['--requestheader-ca', 'aggregator'], golden: 'seed-aggregator.diff' },
    { name: 'seed manifest with aggregator routing', file: 'seed-kube-apiserver.yaml', kind: '--manifest', extra: ['--requestheader-ca', 'front-proxy', '--enable-aggregator-routing'], golden: 'seed-routing.diff' },
    { name: 'hand-edited manifest (comments, quotes, split flag, duplicate)', file: 'commented-kube-apiserver.yaml', kind: '--manifest', extra: ['--requestheader-ca', 'aggregator'], golden: 'commented-aggregator.diff' },
    { name: 'systemd unit', file: 'kube-apiserver.service', kind: '--systemd-unit', extra: ['--requestheader-ca', 'aggregator'], golden: 'systemd-aggregator.diff' },
    { name: 'env file', file: 'apiserver.env', kind: '--env-file', extra: ['--requestheader-ca', 'front-proxy', '--enable-aggregator-routing'], golden: 'env-front-proxy.diff' },
  ] as const;

  for (const c of CASES) {
    test(`${c.name}: golden diff, write with backup, second run changes nothing`, async () => {
      const file = copy(c.file);
      const original = readFileSync(file, 'utf8');
      const base = [c.kind, file, '--cert-dir', pki, '--cert-path-prefix', PREFIX, ...c.extra];

      const dry = await kagg(...base, '--dry-run');
      assert.equal(dry.code, 0, dry.err);
      assert.equal(dry.err, '', 'the cert dir is mounted: no warning');
      assert.equal(readFileSync(file, 'utf8'), original, '--dry-run must not write');
      assert.equal(existsSync(`${file}.bak`), false);
      assertGolden(c.golden, dry.out.replace(/^(---|\+\+\+) [ab]\/.*$/gm, '$1'));

      const run = await kagg(...base);
      assert.equal(run.code, 0, run.err);
      const edited = readFileSync(file, 'utf8');
      assert.notEqual(edited, original);
      const backup = /previous version in (.*)$/m.exec(run.out)?.[1];
      assert.ok(backup, run.out);
      assert.equal(readFileSync(backup, 'utf8'), original);

      // every original line either survives or is one of the flag lines the diff names
      const removed = new Set(dry.out.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---')).map((l) => l.slice(1)));
      const editedLines = new Set(edited.split('\n'));
      for (const line of original.split('\n')) assert.ok(editedLines.has(line) || removed.has(line), `line lost: ${line}`);
      for (const line of removed) {
        // a removed line is an aggregation flag (or its separate value), or the former last
        // argument line that only gained a continuation backslash
        const ok = /--(requestheader-|proxy-client-|enable-aggregator-routing)|front-proxy-ca\.crt$/.test(line) || editedLines.has(`${line} \\`) || editedLines.has(line.replace(/"$/, ' \\'));
        assert.ok(ok, `unexpected removed line: ${line}`);
      }

      // the flags hold exactly once each
      const kind = c.kind.slice(2) as 'manifest' | 'systemd-unit' | 'env-file';
      const args = parseDeployment(kind, edited, file).args;
      const flags = new ApiserverFlags(args);
      const names = args.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0]);
      assert.equal(new Set(names).size, names.length, `duplicate flags: ${names.join(' ')}`);
      const layout = c.extra[1] === 'aggregator' ? { ca: 'aggregator-ca.pem', cert: 'aggregator.pem', key: 'aggregator-key.pem', cn: 'aggregator' } : { ca: 'front-proxy-ca.crt', cert: 'front-proxy-client.crt', key: 'front-proxy-client.key', cn: 'front-proxy-client' };
      assert.equal(flags.get('--requestheader-client-ca-file'), `${PREFIX}/${layout.ca}`);
      assert.equal(flags.get('--proxy-client-cert-file'), `${PREFIX}/${layout.cert}`);
      assert.equal(flags.get('--proxy-client-key-file'), `${PREFIX}/${layout.key}`);
      assert.deepEqual(flags.list('--requestheader-allowed-names'), [layout.cn]);
      assert.equal(flags.get('--requestheader-username-headers'), 'X-Remote-User');
      assert.equal(flags.get('--requestheader-group-headers'), 'X-Remote-Group');
      assert.equal(flags.get('--requestheader-extra-headers-prefix'), 'X-Remote-Extra-');
      assert.equal(flags.bool('--enable-aggregator-routing'), (c.extra as readonly string[]).includes('--enable-aggregator-routing') ? true : undefined);

      const again = await kagg(...base);
      assert.equal(again.code, 0, again.err);
      assert.match(again.out, /already configured, nothing changed/);
      assert.equal(readFileSync(file, 'utf8'), edited);
      const againDry = await kagg(...base, '--dry-run');
      assert.equal(againDry.out, '');
    });
  }

  // A shell reads the same words from the edited files as our parsers do (the env file as
  // systemd's EnvironmentFile= + $VAR expansion, ExecStart= with its continuations).
  test('bash splits the edited env file and unit into the same arguments', toolOptions('bash'), async () => {
    const env = copy('apiserver.env');
    const unit = copy('kube-apiserver.service');
    assert.equal((await kagg('--env-file', env, '--cert-dir', pki, '--cert-path-prefix', PREFIX, '--requestheader-ca', 'aggregator', '--enable-aggregator-routing')).code, 0);
    assert.equal((await kagg('--systemd-unit', unit, '--cert-dir', pki, '--cert-path-prefix', PREFIX, '--requestheader-ca', 'aggregator')).code, 0);
    const words = (script: string, file: string) => {
      const r = spawnSync('bash', ['-c', script, '_', file], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.split('\n').filter((w) => w !== '');
    };
    const fromEnv = words('set -a; . "$1"; for v in KUBE_API_ADDRESS KUBE_API_ARGS; do printf "%s\\n" ${!v}; done', env);
    assert.deepEqual(fromEnv, parseDeployment('env-file', readFileSync(env, 'utf8'), env).args);
    const fromUnit = words('line=$(sed -n "/^ExecStart=/,/[^\\\\]$/p" "$1" | sed "s/^ExecStart=//"); eval "set -- $line"; shift; printf "%s\\n" "$@"', unit);
    assert.deepEqual(fromUnit, parseDeployment('systemd-unit', readFileSync(unit, 'utf8'), unit).args);
    assert.ok(fromUnit.includes('--requestheader-allowed-names=aggregator'));
  });

  test('the seed manifest already has the kubeadm front-proxy flags: nothing to change', async () => {
    const file = copy('seed-kube-apiserver.yaml');
    const r = await kagg('--manifest', file, '--cert-dir', pki, '--cert-path-prefix', PREFIX);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /already configured/);
    assert.equal(readFileSync(file, 'utf8'), readFileSync(fixture('seed-kube-apiserver.yaml'), 'utf8'));
  });

  test('the manifest backup is hidden from the kubelet and keeps the file mode', async () => {
    const file = copy('seed-kube-apiserver.yaml');
    const { chmodSync } = await import('node:fs');
    chmodSync(file, 0o600);
    const r = await kagg('--manifest', file, '--cert-dir', pki, '--requestheader-ca', 'aggregator');
    assert.equal(r.code, 0, r.err);
    // the temp cert dir is not a volume of the pod: said, but not refused
    assert.match(r.err, /warning: --requestheader-client-ca-file=.* is not inside any volume mounted into the kube-apiserver container/);
    assert.ok(existsSync(join(file, '..', '.seed-kube-apiserver.yaml.bak')));
    assert.equal(statSync(file).mode & 0o777, 0o600);
    // without --cert-path-prefix the cert dir is written as given
    assert.match(readFileSync(file, 'utf8'), new RegExp(`--requestheader-client-ca-file=${pki}/aggregator-ca.pem`));
  });

  describe('refusals leave the file byte-identical', () => {
    const REFUSALS: Array<{ name: string; make(dir: string): Promise<void>; message: RegExp }> = [
      { name: 'cert dir without the aggregator files', make: async () => {}, message: /aggregator-ca\.pem: no such file/ },
      {
        name: 'client cert not signed by the requestheader CA',
        make: async (dir) => {
          await makeCA(dir, 'aggregator-ca.pem', 'aggregator-ca-key.pem', 'aggregator');
          const other = await makeCA(dir, 'other-ca.pem', 'other-ca-key.pem', 'aggregator');
          await makeLeaf(dir, 'aggregator.pem', 'aggregator-key.pem', { cn: 'aggregator', ca: other });
        },
        message: /aggregator\.pem is not signed by .*aggregator-ca\.pem/,
      },
      {
        name: 'key of another certificate',
        make: async (dir) => {
          const ca = await makeCA(dir, 'aggregator-ca.pem', 'aggregator-ca-key.pem', 'aggregator');
          await makeLeaf(dir, 'aggregator.pem', 'aggregator-key.pem', { cn: 'aggregator', ca });
          await makeLeaf(dir, 'x.pem', 'x-key.pem', { cn: 'x', ca });
          copyFileSync(join(dir, 'x-key.pem'), join(dir, 'aggregator-key.pem'));
        },
        message: /aggregator-key\.pem is not the key of/,
      },
      {
        name: 'client cert without clientAuth',
        make: async (dir) => {
          const ca = await makeCA(dir, 'aggregator-ca.pem', 'aggregator-ca-key.pem', 'aggregator');
          await makeLeaf(dir, 'aggregator.pem', 'aggregator-key.pem', { cn: 'aggregator', ca, eku: ['serverAuth'] });
        },
        message: /lacks the clientAuth extended key usage/,
      },
      {
        name: 'CA file that is not PEM',
        make: async (dir) => {
          const ca = await makeCA(dir, 'aggregator-ca.pem', 'aggregator-ca-key.pem', 'aggregator');
          await makeLeaf(dir, 'aggregator.pem', 'aggregator-key.pem', { cn: 'aggregator', ca });
          writeFileSync(join(dir, 'aggregator-ca.pem'), 'not a certificate\n');
        },
        message: /aggregator-ca\.pem: no PEM CERTIFICATE block/,
      },
    ];
    for (const r of REFUSALS) {
      test(r.name, async () => {
        const dir = mkdtempSync(join(root, 'bad-'));
        await r.make(dir);
        for (const [flag, name] of [['--manifest', 'seed-kube-apiserver.yaml'], ['--systemd-unit', 'kube-apiserver.service'], ['--env-file', 'apiserver.env']] as const) {
          const file = copy(name);
          const before = readFileSync(file);
          const res = await kagg(flag, file, '--cert-dir', dir, '--requestheader-ca', 'aggregator');
          assert.equal(res.code, 1);
          assert.match(res.err, /refusing, .* left unchanged/);
          assert.match(res.err, r.message);
          assert.deepEqual(readFileSync(file), before);
          assert.equal(existsSync(`${file}.bak`) || existsSync(join(file, '..', `.${name}.bak`)), false);
        }
      });
    }
  });

  test('kagg apiserver without a subcommand prints its usage and exits 1', async () => {
    const io = captureIO();
    assert.equal(await main(['apiserver'], io), 1);
    assert.match(io.err(), /enable-aggregation/);
  });

  test('usage errors: no target, two targets, relative cert path', async () => {
    assert.match((await kagg('--cert-dir', pki)).err, /exactly one of --manifest/);
    assert.match((await kagg('--manifest', 'a', '--env-file', 'b', '--cert-dir', pki)).err, /exactly one of/);
    const rel = await kagg('--manifest', copy('seed-kube-apiserver.yaml'), '--cert-dir', 'pki');
    assert.equal(rel.code, 1);
    assert.match(rel.err, /must be absolute/);
  });

  test('a manifest without a kube-apiserver container is named in the error', async () => {
    const dir = mkdtempSync(join(root, 'nope-'));
    const file = join(dir, 'pod.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: etcd\n    command: [etcd]\n');
    const r = await kagg('--manifest', file, '--cert-dir', pki);
    assert.equal(r.code, 1);
    assert.match(r.err, /pod\.yaml: no kube-apiserver container/);
  });
});
