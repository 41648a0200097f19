import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { buildKubeconfig, parseKubeconfig, replaceClientCredentials } from './kubeconfig.ts';

const CA = '-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nQ0VSVA==\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN RSA PRIVATE KEY-----\nS0VZ\n-----END RSA PRIVATE KEY-----\n';

test('buildKubeconfig lays the file out like kubeadm (sorted keys, one context, base64 data)', () => {
  const text = buildKubeconfig({ server: 'https://10.0.0.1:6443', caPem: CA, clientCertPem: CERT, clientKeyPem: KEY, user: 'kubernetes-admin' });
  const b = (s: string) => Buffer.from(s).toString('base64');
  assert.equal(text, [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${b(CA)}`,
    '    server: https://10.0.0.1:6443',
    '  name: kubernetes',
    'contexts:',
    '- context:',
    '    cluster: kubernetes',
    '    user: kubernetes-admin',
    '  name: kubernetes-admin@kubernetes',
    'current-context: kubernetes-admin@kubernetes',
    'kind: Config',
    'preferences: {}',
    'users:',
    '- name: kubernetes-admin',
    '  user:',
    `    client-certificate-data: ${b(CERT)}`,
    `    client-key-data: ${b(KEY)}`,
    '',
  ].join('\n'));
});

test('parseKubeconfig reads back what buildKubeconfig wrote', () => {
  const text = buildKubeconfig({ server: 'https://lb:6443', caPem: CA, clientCertPem: CERT, clientKeyPem: KEY, user: 'system:kube-scheduler', cluster: 'prod' });
  assert.deepEqual(parseKubeconfig(text), {
    server: 'https://lb:6443', caPem: CA, clientCertPem: CERT, clientKeyPem: KEY, user: 'system:kube-scheduler', cluster: 'prod', context: 'system:kube-scheduler@prod',
  });
});

test('parseKubeconfig names what is missing', () => {
  assert.throws(() => parseKubeconfig('a: ['), /not valid YAML/);
  assert.throws(() => parseKubeconfig('kind: Config\n'), /no context/);
  const noData = 'contexts:\n- name: c\n  context: {cluster: k, user: u}\nclusters:\n- name: k\n  cluster: {server: x}\nusers:\n- name: u\n  user: {token: t}\n';
  assert.throws(() => parseKubeconfig(noData), /user "u" has no embedded client-certificate-data/);
});

test('replaceClientCredentials changes only the two data fields', () => {
  const text = `# managed by kagg\n${buildKubeconfig({ server: 'https://lb:6443', caPem: CA, clientCertPem: CERT, clientKeyPem: KEY, user: 'kubernetes-admin' })}`;
  const next = replaceClientCredentials(text, 'NEWCERT', 'NEWKEY');
  const before = text.split('\n');
  const after = next.split('\n');
  assert.equal(after.length, before.length);
  const changed = after.filter((line, i) => line !== before[i]);
  assert.deepEqual(changed, [`    client-certificate-data: ${Buffer.from('NEWCERT').toString('base64')}`, `    client-key-data: ${Buffer.from('NEWKEY').toString('base64')}`]);
  assert.equal(parse(next).users[0].name, 'kubernetes-admin');
});
