import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from 'kubernetes-types/core/v1.d.ts';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.d.ts';
import { checkServiceAndEndpoints, type CheckInput } from './availability-checks.ts';

const service = (spec: Service['spec']): Service => ({ metadata: { name: 'api', namespace: 'wardle' }, spec });
const slice = (ready: boolean, portName = 'https'): EndpointSlice => ({ addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready } }], ports: [{ name: portName, port: 443 }] });
const base: CheckInput = { namespace: 'wardle', name: 'api', port: 443, service: service({ ports: [{ name: 'https', port: 443 }] }), slices: [slice(true)] };

const cases: Array<{ name: string; in: Partial<CheckInput>; want: string | undefined }> = [
  { name: 'all passed', in: {}, want: undefined },
  { name: 'service missing', in: { service: undefined }, want: 'False ServiceNotFound service/api in "wardle" is not present' },
  { name: 'lister error', in: { service: new Error('boom') }, want: 'Unknown ServiceAccessError service/api in "wardle" cannot be checked due to: boom' },
  { name: 'port missing', in: { port: 7443 }, want: 'False ServicePortError service/api in "wardle" is not listening on port 7443' },
  { name: 'no slices', in: { slices: [] }, want: 'False EndpointsNotFound cannot find endpointslices for service/api in "wardle"' },
  { name: 'slices error', in: { slices: new Error('x') }, want: 'Unknown EndpointsAccessError service/api in "wardle" cannot be checked due to: x' },
  { name: 'not ready', in: { slices: [slice(false)] }, want: 'False MissingEndpoints endpointslices for service/api in "wardle" have no addresses with port name "https"' },
  { name: 'port name mismatch', in: { slices: [slice(true, 'http')] }, want: 'False MissingEndpoints endpointslices for service/api in "wardle" have no addresses with port name "https"' },
  { name: 'ExternalName skips 3-5', in: { service: service({ type: 'ExternalName', externalName: 'x' }), slices: [] }, want: undefined },
  { name: 'legacy Endpoints ok', in: { slices: [], endpoints: { subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ name: 'https', port: 443 }] }] } }, want: undefined },
  { name: 'legacy Endpoints without addresses', in: { slices: [], endpoints: { subsets: [{ notReadyAddresses: [{ ip: '10.0.0.1' }], ports: [{ name: 'https', port: 443 }] }] } }, want: 'False MissingEndpoints endpoints for service/api in "wardle" have no addresses with port name "https"' },
];

for (const c of cases) {
  test(`availability checks: ${c.name}`, () => {
    const r = checkServiceAndEndpoints({ ...base, ...c.in });
    assert.equal(r ? `${r.status} ${r.reason} ${r.message}` : undefined, c.want);
  });
}
