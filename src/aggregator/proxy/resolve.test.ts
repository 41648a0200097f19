import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Endpoints, Service } from 'kubernetes-types/core/v1.d.ts';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.d.ts';
import { resolveService, type ResolveInput } from './resolve.ts';

const svc = (spec: Service['spec']): Service => ({ metadata: { namespace: 'wardle', name: 'api' }, spec });
const clusterIP = svc({ clusterIP: '10.96.0.10', ports: [{ name: 'https', port: 7443, targetPort: 443 }] });
const slice = (ready: boolean | undefined, ip: string, portName = 'https', addressType = 'IPv4'): EndpointSlice => ({
  addressType,
  endpoints: [{ addresses: [ip], conditions: ready === undefined ? {} : { ready } }],
  ports: [{ name: portName, port: 443 }],
});
const input = (over: Partial<ResolveInput>): ResolveInput => ({ namespace: 'wardle', name: 'api', port: 7443, service: clusterIP, slices: [], endpointRouting: false, random: () => 0, ...over });

const cases: Array<{ name: string; in: ResolveInput; want: string }> = [
  { name: 'cluster routing: ClusterIP + service port', in: input({}), want: '10.96.0.10:7443' },
  { name: 'cluster routing: port missing', in: input({ port: 443 }), want: 'error: no service port 443 found for service "wardle/api"' },
  { name: 'cluster routing: headless', in: input({ service: svc({ clusterIP: 'None', ports: [{ port: 7443 }] }) }), want: 'error: cannot route to service with ClusterIP "None"' },
  { name: 'cluster routing: ExternalName', in: input({ service: svc({ type: 'ExternalName', externalName: 'api.example.com' }) }), want: 'api.example.com:7443' },
  { name: 'missing service', in: input({ service: undefined }), want: 'error: service "api" not found' },
  { name: 'unsupported type', in: input({ service: svc({ type: 'Weird' }) }), want: 'error: unsupported service type "Weird"' },
  { name: 'endpoint routing: ExternalName unsupported', in: input({ endpointRouting: true, service: svc({ type: 'ExternalName', externalName: 'x' }) }), want: 'error: unsupported service type "ExternalName"' },
  { name: 'endpoint routing: ready slice endpoint, targetPort', in: input({ endpointRouting: true, slices: [slice(false, '10.0.0.1'), slice(true, '10.0.0.2')] }), want: '10.0.0.2:443' },
  { name: 'endpoint routing: ready absent counts as ready', in: input({ endpointRouting: true, slices: [slice(undefined, '10.0.0.3')] }), want: '10.0.0.3:443' },
  { name: 'endpoint routing: port name mismatch', in: input({ endpointRouting: true, slices: [slice(true, '10.0.0.2', 'http')] }), want: 'error: no endpoints available for service "api"' },
  { name: 'endpoint routing: headless works', in: input({ endpointRouting: true, service: svc({ clusterIP: 'None', ports: [{ name: 'https', port: 7443 }] }), slices: [slice(true, '10.0.0.9')] }), want: '10.0.0.9:443' },
  { name: 'endpoint routing: legacy Endpoints', in: input({ endpointRouting: true, endpoints: { subsets: [{ addresses: [{ ip: '10.0.0.7' }], notReadyAddresses: [{ ip: '10.0.0.8' }], ports: [{ name: 'https', port: 443 }] }] } satisfies Endpoints }), want: '10.0.0.7:443' },
  { name: 'default/kubernetes loopback', in: input({ namespace: 'default', name: 'kubernetes', port: 443, service: undefined, loopback: { host: '127.0.0.1', port: 6443 } }), want: '127.0.0.1:6443' },
];

for (const c of cases) {
  test(`resolveService: ${c.name}`, () => {
    let got: string;
    try {
      const a = resolveService(c.in);
      got = `${a.host}:${a.port}`;
    } catch (err) {
      got = `error: ${(err as Error).message}`;
    }
    assert.equal(got, c.want);
  });
}

test('endpoint routing spreads across ready endpoints', () => {
  const s: EndpointSlice = { addressType: 'IPv4', endpoints: [{ addresses: ['a'] }, { addresses: ['b'] }, { addresses: ['c'], conditions: { ready: false } }], ports: [{ name: 'https', port: 443 }] };
  const seen = new Set<string>();
  for (const r of [0, 0.34, 0.67, 0.99]) seen.add(resolveService(input({ endpointRouting: true, slices: [s], random: () => r })).host);
  assert.deepEqual([...seen].sort(), ['a', 'b']);
});
