import assert from 'node:assert/strict';
import { test } from 'node:test';
import { captureIO } from '../../test/support/cli-io.ts';
import { main } from './bin.ts';
import { runServe } from './serve.ts';

test('kagg serve --help lists the kube-apiserver flags it acts on', async () => {
  const io = captureIO();
  assert.equal(await main(['serve', '--help'], io), 0);
  assert.match(io.out(), /--client-ca-file string/);
  assert.match(io.out(), /--service-account-key-file strings/);
});

test('kagg serve: a bad flag or an unreadable file is one line and exit 1', async () => {
  const bad = captureIO();
  assert.equal(await main(['serve', '--bogus'], bad), 1);
  assert.equal(bad.err(), 'kagg serve: unknown flag: --bogus\n');
  const missing = captureIO();
  assert.equal(await main(['serve', '--storage=memory', '--bind-address=127.0.0.1', '--secure-port=0', '--client-ca-file=/nonexistent/ca.crt'], missing), 1);
  assert.match(missing.err(), /^kagg serve: --client-ca-file \/nonexistent\/ca\.crt: ENOENT/m);
});

test('kagg serve runs until its signal aborts, warning about ignored flags', async () => {
  const io = captureIO();
  const abort = new AbortController();
  let url = '';
  const code = await runServe(['--storage=memory', '--bind-address=127.0.0.1', '--secure-port=0', '--allow-privileged=true'], io, {
    signal: abort.signal,
    onListening: (u) => {
      url = u;
      abort.abort();
    },
  });
  assert.equal(code, 0);
  assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);
  assert.match(io.err(), /Warning: flag --allow-privileged is accepted for kube-apiserver compatibility and ignored/);
  assert.match(io.err(), /serving securely on https:\/\/127\.0\.0\.1:\d+ \(storage memory\)/);
});
