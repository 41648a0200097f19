// `kagg doctor --kubeconfig` against kagg's own API server (`kagg serve` as a child
// process): the extension-apiserver-authentication ConfigMap it publishes must agree with
// the flags it was started with, and a flags file that disagrees must be caught (X03).
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../../src/cli/bin.ts';
import type { Finding } from '../../src/config/doctor/types.ts';
import { startTestApiServer, type TestApiServer } from '../support/apiserver.ts';
import { captureIO } from '../support/cli-io.ts';

const CONFIGMAP_IDS = new Set(['D08', 'D09', 'D19', 'D22', 'D23', 'D24', 'D26', 'X03']);

describe('kagg doctor against kagg serve', () => {
  let server: TestApiServer;
  before(async () => {
    server = await startTestApiServer({ child: true });
    // the trust controller publishes the ConfigMap shortly after start: wait for it (bounded)
    for (let i = 0; i < 60; i++) {
      const r = await doctor();
      if (!r.findings.some((f) => f.id === 'D19')) return;
      await new Promise((done) => setTimeout(done, 250));
    }
    throw new Error('kagg serve did not publish extension-apiserver-authentication within 15 s');
  });
  after(async () => {
    await server?.close();
  });

  /** The requestheader flags kagg serve runs with (test/support/apiserver.ts), plus the proxy pair. */
  async function flagsFile(name: string, allowedNames: string): Promise<string> {
    const { pki } = server;
    const file = join(server.dir, name);
    await writeFile(file, [
      `--client-ca-file=${pki.ca.certFile}`,
      `--requestheader-client-ca-file=${pki.frontProxyCA.certFile}`,
      `--requestheader-allowed-names=${allowedNames}`,
      '--requestheader-username-headers=X-Remote-User',
      '--requestheader-group-headers=X-Remote-Group',
      '--requestheader-extra-headers-prefix=X-Remote-Extra-',
      `--proxy-client-cert-file=${pki.frontProxy.certFile}`,
      `--proxy-client-key-file=${pki.frontProxy.keyFile}`,
      '',
    ].join('\n'));
    return file;
  }

  async function doctor(...args: string[]): Promise<{ code: number; findings: Finding[]; err: string }> {
    const io = captureIO({ cwd: server.dir });
    const code = await main(['doctor', '--kubeconfig', server.kubeconfig, '-o', 'json', ...args], io);
    return { code, findings: io.out() ? (JSON.parse(io.out()) as { findings: Finding[] }).findings : [], err: io.err() };
  }

  test('the published ConfigMap agrees with the flags and certificates', async () => {
    const r = await doctor('--flags-file', await flagsFile('flags.txt', 'front-proxy-client'));
    assert.equal(r.err, '');
    const cm = r.findings.filter((f) => CONFIGMAP_IDS.has(f.id));
    assert.deepEqual(cm, [], JSON.stringify(cm, null, 1));
  });

  test('flags naming another allowed name are reported as disagreeing with the ConfigMap', async () => {
    const r = await doctor('--flags-file', await flagsFile('other.txt', 'front-proxy-client,someone-else'));
    assert.equal(r.code, 2);
    const x03 = r.findings.filter((f) => f.id === 'X03' && f.severity === 'error');
    assert.equal(x03.length, 1, JSON.stringify(r.findings, null, 1));
    assert.match(x03[0].summary, /requestheader-allowed-names=\["front-proxy-client"\] lacks someone-else/);
  });
});
