import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from './bin.ts';
import { captureIO } from '../../test/support/cli-io.ts';


test('kagg with an unknown command names it and exits 1', async () => {
  const io = captureIO();
  assert.equal(await main(['no-such-command'], io), 1);
  assert.match(io.err(), /unknown command "no-such-command"/);
});

test('kagg --help lists the commands and exits 0', async () => {
  const io = captureIO();
  assert.equal(await main(['--help'], io), 0);
  assert.match(io.out(), /Usage: kagg <command>/);
});
