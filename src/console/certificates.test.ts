import assert from 'node:assert/strict';
import { test } from 'node:test';
import { certificateName } from './certificates.ts';

test('certificateName: kubeadm names from tree files', () => {
  const cases = [
    { file: 'apiserver.crt', name: 'apiserver' },
    { file: 'etcd/server.crt', name: 'etcd-server' },
    { file: 'etcd/healthcheck-client.crt', name: 'etcd-healthcheck-client' },
    { file: 'front-proxy-client.crt', name: 'front-proxy-client' },
    { file: '../admin.conf', name: 'admin.conf' },
    { file: 'aggregator.pem', name: 'aggregator' },
    { file: 'etcd/ca.crt', name: 'etcd-ca' },
  ];
  for (const c of cases) assert.equal(certificateName(c.file), c.name, c.file);
});
