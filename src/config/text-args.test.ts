import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEnvFile } from './env-file.ts';
import { applyArgEdits, planFlagEdits } from './flags.ts';
import { parseSystemdUnit } from './systemd-unit.ts';

const UNIT = (body: string) => `[Unit]\nDescription=x\n\n[Service]\n${body}\nRestart=always\n`;

test('systemd unit: words, quoting, variables and comment lines in continuations', () => {
  const src = UNIT('ExecStart=-/usr/bin/kube-apiserver $KUBE_API_ARGS \\\n  --a="x y" \\\n# a comment\n  --b \'z\' \\\n  --c=1');
  assert.deepEqual(parseSystemdUnit(src, 'u').args, ['--a=x y', '--b', 'z', '--c=1']);
});

test('systemd unit: an empty ExecStart= resets; other programs are refused', () => {
  assert.deepEqual(parseSystemdUnit(UNIT('ExecStart=/bin/true\nExecStart=\nExecStart=/usr/bin/kube-apiserver --a=1'), 'u').args, ['--a=1']);
  assert.throws(() => parseSystemdUnit(UNIT('ExecStart=/usr/bin/etcd --a=1'), 'u'), /does not run kube-apiserver/);
  assert.throws(() => parseSystemdUnit('[Service]\nType=simple\n', 'u'), /no ExecStart=/);
});

test('systemd unit edits: remove duplicates on their own line, the last line, and inline', () => {
  const CASES = [
    {
      name: 'duplicate alone on a middle line',
      body: 'ExecStart=/usr/bin/kube-apiserver \\\n  --a=1 \\\n  --a=2 \\\n  --b=3',
      want: 'ExecStart=/usr/bin/kube-apiserver \\\n  --a=9 \\\n  --b=3',
    },
    {
      name: 'duplicate on the last line',
      body: 'ExecStart=/usr/bin/kube-apiserver \\\n  --a=1 \\\n  --b=3 \\\n  --a=2',
      want: 'ExecStart=/usr/bin/kube-apiserver \\\n  --a=9 \\\n  --b=3',
    },
    { name: 'single line', body: 'ExecStart=/usr/bin/kube-apiserver --a=1 --b=3 --a 2', want: 'ExecStart=/usr/bin/kube-apiserver --a=9 --b=3' },
    { name: 'append on a single line', body: 'ExecStart=/usr/bin/kube-apiserver --b=3', want: 'ExecStart=/usr/bin/kube-apiserver --b=3 --a=9' },
  ];
  for (const c of CASES) {
    const parsed = parseSystemdUnit(UNIT(c.body), 'u');
    const edits = planFlagEdits(parsed.args, [['--a', '9']]);
    const out = parsed.apply(edits);
    assert.equal(out, UNIT(c.want), c.name);
    assert.deepEqual(parseSystemdUnit(out, 'u').args, applyArgEdits(parsed.args, edits), c.name);
  }
});

test('env file: flags from several variables, appended to KUBE_API_ARGS, no quoting possible', () => {
  const src = '# c\nKUBE_API_ADDRESS="--advertise-address=1.2.3.4"\nKUBE_LOG=2\nexport KUBE_API_ARGS="--b=2"\n';
  const parsed = parseEnvFile(src, 'e');
  assert.deepEqual(parsed.args, ['--advertise-address=1.2.3.4', '--b=2']);
  const out = parsed.apply(planFlagEdits(parsed.args, [['--advertise-address', '5.6.7.8'], ['--c', '3']]));
  assert.equal(out, '# c\nKUBE_API_ADDRESS="--advertise-address=5.6.7.8"\nKUBE_LOG=2\nexport KUBE_API_ARGS="--b=2 --c=3"\n');
  assert.throws(() => parsed.apply(planFlagEdits(parsed.args, [['--c', 'a b']])), /would need quoting/);
  assert.throws(() => parseEnvFile('KUBE_API_ARGS="--a=1\n', 'e'), /e:1: unterminated " quote/);
});

test('env file: an empty KUBE_API_ARGS receives the flags without a leading blank', () => {
  const parsed = parseEnvFile('KUBE_API_ARGS=""\n', 'e');
  assert.deepEqual(parsed.args, []);
  assert.equal(parsed.apply(planFlagEdits(parsed.args, [['--a', '1'], ['--b', '2']])), 'KUBE_API_ARGS="--a=1 --b=2"\n');
});
