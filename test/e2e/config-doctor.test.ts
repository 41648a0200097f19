// `kagg doctor` offline: every check over a good kubeadm-like setup (no findings but the
// routing note) and over one broken variant per diagnostic (table-driven), plus the CLI's
// exit codes, JSON output and --list. Certificates come from `kagg certs init` and src/pki (fixtures/config/pki.ts).
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../../src/cli/bin.ts';
import { DIAGNOSTICS, DIAGNOSTIC_IDS, type DiagnosticId } from '../../src/config/doctor/catalog.ts';
import { createDoctorContext } from '../../src/config/doctor/context.ts';
import { coverage, exitCodeFor, runDoctor } from '../../src/config/doctor/run.ts';
import type { Finding } from '../../src/config/doctor/types.ts';
import { parseManifest, staticPodMounts } from '../../src/config/manifest.ts';
import { ApiserverFlags, applyArgEdits, planFlagEdits, scanFlags } from '../../src/config/flags.ts';
import type { APIService } from '../../src/aggregator/apis/types.ts';
import { captureIO } from '../support/cli-io.ts';
import { assertGolden, fixture } from '../fixtures/config/golden.ts';
import { makeAggregationTree, makeCA, makeIntermediate, makeLeaf } from '../fixtures/config/pki.ts';

const DAY = 24 * 3600 * 1000;
const SEED = readFileSync(fixture('seed-kube-apiserver.yaml'), 'utf8');
const SEED_ARGS = parseManifest(SEED, 'seed').args;
const SEED_MOUNTS = staticPodMounts(SEED, 'seed');

/** The seed's flags with some set (string) or removed (null). */
function seedFlags(changes: Record<string, string | null> = {}): ApiserverFlags {
  const set = Object.entries(changes).filter((e): e is [string, string] => e[1] !== null);
  let args = applyArgEdits(SEED_ARGS, planFlagEdits(SEED_ARGS, set));
  const removed = Object.entries(changes).filter(([, v]) => v === null).map(([k]) => k);
  const drop = new Set(scanFlags(args).filter((o) => removed.includes(o.name)).flatMap((o) => [o.index, ...(o.valueIndex === undefined ? [] : [o.valueIndex])]));
  args = args.filter((_, i) => !drop.has(i));
  return new ApiserverFlags(args);
}

describe('kagg doctor (offline)', () => {
  // the table below names files under bad/, so the paths are fixed before the files exist
  const root = mkdtempSync(join(tmpdir(), 'kagg-doctor-'));
  const pki = join(root, 'pki');
  const bad = join(root, 'bad');
  before(async () => {
    await makeAggregationTree(pki);
    // broken variants, named by what is wrong with them
    const other = await makeCA(bad, 'other-ca.crt', 'other-ca.key', 'front-proxy-ca');
    await makeLeaf(bad, 'foreign-client.crt', 'foreign-client.key', { cn: 'front-proxy-client', ca: other });
    const fp = { cert: join(pki, 'front-proxy-ca.crt'), key: join(pki, 'front-proxy-ca.key') };
    await makeLeaf(bad, 'server-only.crt', 'server-only.key', { cn: 'front-proxy-client', ca: fp, eku: ['serverAuth'] });
    await makeLeaf(bad, 'short.crt', 'short.key', { cn: 'front-proxy-client', ca: fp, days: 10 });
    // signed by a leaf: the "CA" file then holds a certificate without CA:TRUE
    await makeLeaf(bad, 'leaf-signed.crt', 'leaf-signed.key', { cn: 'front-proxy-client', ca: { cert: join(pki, 'front-proxy-client.crt'), key: join(pki, 'front-proxy-client.key') } });
    writeFileSync(join(bad, 'shared-bundle.crt'), readFileSync(join(pki, 'front-proxy-ca.crt'), 'utf8') + readFileSync(join(pki, 'ca.crt'), 'utf8'));
    writeFileSync(join(bad, 'garbage.crt'), 'not pem\n');
    // a proxy client certificate from an intermediate of the front-proxy CA, with and without the intermediate in its file
    const mid = await makeIntermediate(bad, 'mid-ca.crt', 'mid-ca.key', 'front-proxy-intermediate', fp);
    const viaMid = await makeLeaf(bad, 'via-mid.crt', 'via-mid.key', { cn: 'front-proxy-client', ca: mid });
    writeFileSync(join(bad, 'via-mid-chain.crt'), readFileSync(viaMid.cert, 'utf8') + readFileSync(mid.cert, 'utf8'));
    const shortCa = await makeCA(bad, 'short-ca.crt', 'short-ca.key', 'old-front-proxy-ca', 5);
    writeFileSync(join(bad, 'with-old-ca.crt'), readFileSync(join(pki, 'front-proxy-ca.crt'), 'utf8') + readFileSync(shortCa.cert, 'utf8'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  async function findings(flags: ApiserverFlags, now = new Date(), apiServiceFiles?: Array<{ file: string; object: APIService }>): Promise<Finding[]> {
    const ctx = createDoctorContext({ flags, flagsSource: 'seed', mounts: SEED_MOUNTS, certDir: pki, certPathPrefix: '/etc/kubernetes/pki', now, apiServiceFiles });
    return (await runDoctor(ctx)).findings;
  }
  const badPath = (name: string) => join(bad, name);

  test('the good setup has no findings except the routing note', async () => {
    const f = await findings(seedFlags());
    assert.deepEqual(f.map((x) => `${x.severity} ${x.id}`), ['info D06']);
    assert.match(f[0].summary, /cluster routing/);
  });

  const CASES: Array<{ name: string; id: DiagnosticId; severity: Finding['severity']; flags?: Record<string, string | null>; now?: number; match?: RegExp }> = [
    { name: 'no proxy client cert flag', id: 'D09', severity: 'error', flags: { '--proxy-client-cert-file': null }, match: /--proxy-client-cert-file is not set/ },
    { name: 'no username headers', id: 'D09', severity: 'error', flags: { '--requestheader-username-headers': null }, match: /publishes requestheader-username-headers: '\[\]'/ },
    { name: 'no requestheader CA flag', id: 'D19', severity: 'error', flags: { '--requestheader-client-ca-file': null } },
    { name: 'requestheader CA file missing', id: 'D19', severity: 'error', flags: { '--requestheader-client-ca-file': '/etc/kubernetes/pki/nope.crt' }, match: /no such file/ },
    { name: 'requestheader CA not PEM', id: 'D19', severity: 'error', flags: { '--requestheader-client-ca-file': badPath('garbage.crt') }, match: /no PEM CERTIFICATE block/ },
    { name: 'custom group header', id: 'D26', severity: 'warning', flags: { '--requestheader-group-headers': 'X-Custom-Group' }, match: /without specifying the standard X-Remote-Group header - API aggregation will not work/ },
    { name: 'no extra prefix flag', id: 'D26', severity: 'warning', flags: { '--requestheader-extra-headers-prefix': null } },
    { name: 'empty allowed names', id: 'D23', severity: 'warning', flags: { '--requestheader-allowed-names': '' } },
    { name: 'same file for client and requestheader CA', id: 'D22', severity: 'warning', flags: { '--requestheader-client-ca-file': '/etc/kubernetes/pki/ca.crt' }, match: /same file/ },
    { name: 'shared CA in a bundle, empty allowed names', id: 'D22', severity: 'error', flags: { '--requestheader-client-ca-file': badPath('shared-bundle.crt'), '--requestheader-allowed-names': '' }, match: /both bundles contain/ },
    { name: 'allowed names without the proxy CN', id: 'D24', severity: 'error', flags: { '--requestheader-allowed-names': 'aggregator' }, match: /does not contain the CN "front-proxy-client"/ },
    { name: 'proxy cert from another CA', id: 'D25', severity: 'error', flags: { '--proxy-client-cert-file': badPath('foreign-client.crt'), '--proxy-client-key-file': badPath('foreign-client.key') }, match: /is not signed by/ },
    { name: 'requestheader CA file holds a non-CA certificate', id: 'D25', severity: 'error', flags: { '--requestheader-client-ca-file': '/etc/kubernetes/pki/front-proxy-client.crt', '--proxy-client-cert-file': badPath('leaf-signed.crt'), '--proxy-client-key-file': badPath('leaf-signed.key') }, match: /is not a CA certificate/ },
    { name: 'proxy cert from an intermediate that is not presented', id: 'D25', severity: 'error', flags: { '--proxy-client-cert-file': badPath('via-mid.crt'), '--proxy-client-key-file': badPath('via-mid.key') }, match: /issuer CN=front-proxy-intermediate is not among CN=front-proxy-ca/ },
    { name: 'proxy key of another cert', id: 'D25', severity: 'error', flags: { '--proxy-client-key-file': '/etc/kubernetes/pki/apiserver.key' }, match: /is not the private key of/ },
    { name: 'proxy cert without clientAuth', id: 'D25', severity: 'error', flags: { '--proxy-client-cert-file': badPath('server-only.crt'), '--proxy-client-key-file': badPath('server-only.key') }, match: /lacks the clientAuth/ },
    { name: 'proxy cert file missing', id: 'D25', severity: 'error', flags: { '--proxy-client-cert-file': '/etc/kubernetes/pki/missing.crt' }, match: /no such file/ },
    { name: 'proxy cert expiring within 30 days', id: 'D25', severity: 'warning', flags: { '--proxy-client-cert-file': badPath('short.crt'), '--proxy-client-key-file': badPath('short.key') }, match: /expires in \d+ days/ },
    { name: 'proxy cert expired', id: 'D25', severity: 'error', now: 400, match: /expired since/ },
    { name: 'an expired CA that signs nothing left in the bundle', id: 'D25', severity: 'warning', now: 10, flags: { '--requestheader-client-ca-file': badPath('with-old-ca.crt') }, match: /still holds CN=old-front-proxy-ca, expired since/ },
    { name: 'advertise address not in the serving cert', id: 'X01', severity: 'error', flags: { '--advertise-address': '10.53.5.95' }, match: /no IP SAN 10\.53\.5\.95/ },
    { name: 'first service IP not in the serving cert', id: 'X01', severity: 'error', flags: { '--service-cluster-ip-range': '10.100.0.0/16' }, match: /no IP SAN 10\.100\.0\.1/ },
    { name: 'serving key mismatch', id: 'X02', severity: 'error', flags: { '--tls-private-key-file': '/etc/kubernetes/pki/front-proxy-client.key' }, match: /is not the private key of/ },
    { name: 'client CA missing', id: 'X02', severity: 'error', flags: { '--client-ca-file': '/etc/kubernetes/pki/none.crt' } },
    { name: 'requestheader CA outside every mount', id: 'X04', severity: 'error', flags: { '--requestheader-client-ca-file': '/etc/kubernetes/aggregator/ca.pem' }, match: /not inside any volume mounted into the kube-apiserver container/ },
    { name: 'endpoint routing', id: 'D06', severity: 'info', flags: { '--enable-aggregator-routing': 'true' }, match: /dials backend pod IPs/ },
  ];
  for (const c of CASES) {
    test(`${c.id} ${c.name}`, async () => {
      const f = await findings(seedFlags(c.flags), new Date(Date.now() + (c.now ?? 0) * DAY));
      const hit = f.filter((x) => x.id === c.id && x.severity === c.severity && (!c.match || c.match.test(`${x.summary} ${x.why}`)));
      assert.ok(hit.length > 0, `no ${c.severity} ${c.id}${c.match ? ` matching ${c.match}` : ''} in:\n${f.map((x) => `${x.severity} ${x.id} ${x.summary}`).join('\n')}`);
      for (const x of hit) {
        assert.ok(x.why.length > 20 && x.fix.length > 10, 'every finding explains why and how to fix');
      }
    });
  }

  test('D25 not reported when the proxy cert file carries its intermediate', async () => {
    const f = await findings(seedFlags({ '--proxy-client-cert-file': badPath('via-mid-chain.crt'), '--proxy-client-key-file': badPath('via-mid.key') }));
    assert.deepEqual(f.filter((x) => x.id === 'D25'), []);
  });

  test('D32/D13 APIService manifests: invalid ones are reported, valid ones are not', async () => {
    const good: APIService = { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1alpha1.wardle.example.com' }, spec: { group: 'wardle.example.com', version: 'v1alpha1', service: { namespace: 'wardle', name: 'api' }, groupPriorityMinimum: 2000, versionPriority: 200, caBundle: Buffer.from(readFileSync(join(pki, 'ca.crt'))).toString('base64') } };
    const misnamed: APIService = { ...good, metadata: { name: 'wardle' }, spec: { ...good.spec, groupPriorityMinimum: 0 } };
    const junkBundle: APIService = { ...good, spec: { ...good.spec, caBundle: Buffer.from('hello').toString('base64') } };
    const f = await findings(seedFlags(), new Date(), [{ file: 'good.yaml', object: good }, { file: 'bad.yaml', object: misnamed }, { file: 'junk.yaml', object: junkBundle }]);
    const d32 = f.filter((x) => x.id === 'D32');
    assert.equal(d32.length, 1);
    assert.match(d32[0].summary, /bad\.yaml: APIService\.apiregistration\.k8s\.io "wardle" is invalid: \[metadata\.name: Invalid value: "wardle": must be `spec\.version\+"\."\+spec\.group`/);
    const d13 = f.filter((x) => x.id === 'D13');
    assert.deepEqual(d13.map((x) => x.subject), ['junk.yaml']);
  });

  test('--list covers every id a check claims, and every decidable id has a check', () => {
    const cov = coverage();
    for (const id of DIAGNOSTIC_IDS) {
      const d: { decidedBy: readonly string[] } = DIAGNOSTICS[id];
      if (d.decidedBy.length > 0) assert.ok(cov.has(id), `${id} is claimed decidable but no check reports it`);
      else assert.equal(cov.has(id), false, `${id} is listed as not decidable but a check reports it`);
    }
    for (let n = 1; n <= 34; n++) assert.ok(DIAGNOSTIC_IDS.includes(`D${String(n).padStart(2, '0')}` as DiagnosticId));
  });

  describe('CLI', () => {
    async function kagg(...args: string[]) {
      const io = captureIO({ cwd: root });
      const code = await main(['doctor', ...args], io);
      return { code, out: io.out(), err: io.err() };
    }
    function manifestWith(changes: Record<string, string | null>): string {
      const dir = mkdtempSync(join(root, 'm-'));
      const file = join(dir, 'kube-apiserver.yaml');
      copyFileSync(fixture('seed-kube-apiserver.yaml'), file);
      const src = readFileSync(file, 'utf8');
      const parsed = parseManifest(src, file);
      const set = Object.entries(changes).filter((e): e is [string, string] => e[1] !== null);
      writeFileSync(file, parsed.apply(planFlagEdits(parsed.args, set)));
      return file;
    }

    test('exit 0 with only notes, 1 with warnings, 2 with errors', async () => {
      const ok = await kagg('--manifest', fixture('seed-kube-apiserver.yaml'), '--cert-dir', pki);
      assert.equal(ok.code, 0, ok.out);
      assert.match(ok.out, /0 errors, 0 warnings, 1 note\./);
      const warn = await kagg('--manifest', manifestWith({ '--requestheader-allowed-names': '' }), '--cert-dir', pki);
      assert.equal(warn.code, 1, warn.out);
      assert.match(warn.out, /^WARNING D23 /m);
      const err = await kagg('--manifest', manifestWith({ '--requestheader-allowed-names': 'someone-else' }), '--cert-dir', pki);
      assert.equal(err.code, 2, err.out);
      assert.match(err.out, /^ERROR {3}D24 .*\n {13}why: .*\n {13}fix: /m);
    });

    test('-o json carries id, severity, summary, why and fix', async () => {
      const r = await kagg('--manifest', manifestWith({ '--requestheader-allowed-names': 'someone-else' }), '--cert-dir', pki, '-o', 'json');
      assert.equal(r.code, 2);
      const report = JSON.parse(r.out) as { findings: Finding[]; summary: { errors: number } };
      const d24 = report.findings.find((f) => f.id === 'D24');
      assert.ok(d24);
      assert.equal(d24.severity, 'error');
      assert.ok(d24.why && d24.fix);
      assert.equal(report.summary.errors, report.findings.filter((f) => f.severity === 'error').length);
    });

    test('--flags-file reads a systemd unit, an env file and a plain list', async () => {
      for (const name of ['kube-apiserver.service', 'apiserver.env']) {
        const r = await kagg('--flags-file', fixture(name), '--cert-dir', pki, '-o', 'json');
        const report = JSON.parse(r.out) as { findings: Finding[] };
        // both fixtures lack some requestheader header flags on purpose
        assert.ok(report.findings.some((f) => f.id === 'D09' || f.id === 'D26'), r.out);
      }
      const plain = join(root, 'flags.txt');
      writeFileSync(plain, `# ps output\n/usr/bin/kube-apiserver ${SEED_ARGS.join(' ')}\n`);
      const r = await kagg('--flags-file', plain, '--cert-dir', pki);
      assert.equal(r.code, 0, r.out);
    });

    test('--systemd-unit with --env-file: one flag set from both files', async () => {
      const r = await kagg('--systemd-unit', fixture('kube-apiserver.service'), '--env-file', fixture('apiserver.env'), '--cert-dir', pki, '-o', 'json');
      const report = JSON.parse(r.out) as { findings: Finding[] };
      const ids = report.findings.map((f) => `${f.id} ${f.summary}`);
      // the unit names the proxy client pair, the env file neither: no D09 about them
      assert.equal(ids.filter((i) => i.includes('--proxy-client-')).length, 0, ids.join('\n'));
      // neither file sets the username header
      assert.ok(ids.some((i) => i.startsWith('D09 --requestheader-client-ca-file is set but --requestheader-username-headers is not')), ids.join('\n'));
      assert.match((await kagg('--systemd-unit', 'a', '--manifest', 'b')).err, /at most one/);
    });

    test('--apiservice validates manifests from YAML files (several documents)', async () => {
      const file = join(root, 'apiservices.yaml');
      writeFileSync(file, [
        'apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata:\n  name: v1alpha1.wardle.example.com\nspec:\n  group: wardle.example.com\n  version: v1alpha1\n  service: {namespace: wardle, name: api}\n  groupPriorityMinimum: 1000\n  versionPriority: 15\n  insecureSkipTLSVerify: true\n',
        'apiVersion: apiregistration.k8s.io/v1\nkind: APIService\nmetadata:\n  name: v1beta1.metrics.k8s.io\nspec:\n  group: metrics.k8s.io\n  version: v1beta1\n  service: {namespace: kube-system, name: metrics-server}\n  groupPriorityMinimum: 100\n  versionPriority: 100\n  insecureSkipTLSVerify: true\n  caBundle: Zm9v\n',
      ].join('---\n'));
      const r = await kagg('--apiservice', file, '-o', 'json');
      assert.equal(r.code, 2, r.err);
      const report = JSON.parse(r.out) as { findings: Finding[] };
      assert.deepEqual(report.findings.map((f) => f.id).sort(), ['D13', 'D32']);
      assert.match(report.findings.find((f) => f.id === 'D32')?.summary ?? '', /"v1beta1\.metrics\.k8s\.io" is invalid: spec\.insecureSkipTLSVerify: Invalid value: true: may not be true if caBundle is present/);
      assert.match((await kagg('--apiservice', fixture('seed-kube-apiserver.yaml'))).err, /no APIService object found/);
      assert.match((await kagg('--apiservice', fixture('apiserver.env'))).err, /apiserver\.env:5: invalid YAML/);
    });

    test('--list prints every id with how it is decided', async () => {
      const r = await kagg('--list');
      assert.equal(r.code, 0);
      for (const id of DIAGNOSTIC_IDS) assert.match(r.out, new RegExp(`^${id} `, 'm'));
      assert.match(r.out, /^D21 {2}not decidable/m);
      const json = (await kagg('--list', '-o', 'json')).out;
      const j = JSON.parse(json) as Array<{ id: string; covered: boolean }>;
      assert.equal(j.length, DIAGNOSTIC_IDS.length);
      // the coverage table is reviewed like any CLI JSON: a change shows up as a golden diff
      assertGolden('doctor-list.json', json);
    });

    test('usage: nothing to check, two flag sources, unreadable manifest', async () => {
      assert.match((await kagg()).err, /nothing to check/);
      assert.match((await kagg('--manifest', 'a', '--flags-file', 'b')).err, /at most one/);
      const r = await kagg('--manifest', join(root, 'missing.yaml'));
      assert.equal(r.code, 2);
      assert.match(r.err, /missing\.yaml: cannot read \(ENOENT\)/);
    });
  });

  test('exitCodeFor', () => {
    const base = { checked: [], skipped: [], findings: [] };
    assert.equal(exitCodeFor({ ...base, summary: { errors: 0, warnings: 0, info: 3 } }), 0);
    assert.equal(exitCodeFor({ ...base, summary: { errors: 0, warnings: 1, info: 0 } }), 1);
    assert.equal(exitCodeFor({ ...base, summary: { errors: 1, warnings: 1, info: 0 } }), 2);
  });
});
