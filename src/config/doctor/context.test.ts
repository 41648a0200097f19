import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiserverFlags } from '../flags.ts';
import { createDoctorContext } from './context.ts';

test('hostPath: container paths through hostPath mounts, then --cert-dir for the flags\' directory', () => {
  const mounts = [
    { name: 'k8s-certs', mountPath: '/etc/kubernetes/pki', hostPath: '/srv/k8s/pki' },
    { name: 'agg', mountPath: '/etc/kubernetes/pki/agg', hostPath: '/opt/agg' },
  ];
  const flags = new ApiserverFlags(['--client-ca-file=/etc/kubernetes/pki/ca.crt']);
  const CASES: Array<{ name: string; options: Parameters<typeof createDoctorContext>[0]; path: string; want: string }> = [
    { name: 'mounted', options: { mounts, cwd: '/w' }, path: '/etc/kubernetes/pki/ca.crt', want: '/srv/k8s/pki/ca.crt' },
    { name: 'longest mount wins', options: { mounts, cwd: '/w' }, path: '/etc/kubernetes/pki/agg/a.pem', want: '/opt/agg/a.pem' },
    { name: 'not mounted', options: { mounts, cwd: '/w' }, path: '/etc/other/x.crt', want: '/etc/other/x.crt' },
    { name: 'relative', options: { cwd: '/w' }, path: 'pki/ca.crt', want: '/w/pki/ca.crt' },
    { name: 'cert dir for the client CA directory', options: { flags, certDir: '/tmp/pki', cwd: '/w' }, path: '/etc/kubernetes/pki/etcd/ca.crt', want: '/tmp/pki/etcd/ca.crt' },
    { name: 'cert dir after the mount', options: { flags, mounts, certDir: '/tmp/pki', cwd: '/w' }, path: '/etc/kubernetes/pki/front-proxy-ca.crt', want: '/tmp/pki/front-proxy-ca.crt' },
    { name: 'outside the cert dir prefix', options: { flags, certDir: '/tmp/pki', cwd: '/w' }, path: '/etc/ssl/x.crt', want: '/etc/ssl/x.crt' },
    { name: 'explicit prefix', options: { flags, certDir: '/tmp/pki', certPathPrefix: '/etc/kubernetes', cwd: '/w' }, path: '/etc/kubernetes/pki/ca.crt', want: '/tmp/pki/pki/ca.crt' },
  ];
  for (const c of CASES) assert.equal(createDoctorContext(c.options).hostPath(c.path), c.want, c.name);
});
