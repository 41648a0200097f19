// discovery.k8s.io/v1 EndpointSlice.
import { AGE_COLUMN, NAME_COLUMN, column } from '../../../apimachinery/table.ts';
import { age } from '../../../apimachinery/duration.ts';
import type { FieldError } from '../../../apimachinery/status.ts';
import { arr, bool, int32, kind, obj, ref, str, stringMap } from '../../openapi/dsl.ts';
import type { ResourceDefinition } from '../../registry/resource.ts';

const D = 'io.k8s.api.discovery.v1';
const ADDRESS_TYPES = ['IPv4', 'IPv6', 'FQDN'];

interface Slice {
  addressType?: string;
  endpoints?: Array<{ addresses?: string[] }>;
  ports?: Array<{ port?: number }>;
}

export const endpointSlices: ResourceDefinition = {
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  listKind: 'EndpointSliceList',
  plural: 'endpointslices',
  singular: 'endpointslice',
  namespaced: true,
  schemaName: `${D}.EndpointSlice`,
  schemas: {
    [`${D}.EndpointSlice`]: kind(
      {
        addressType: str('addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. Supported types are IPv4, IPv6 and FQDN.', { enum: ['FQDN', 'IPv4', 'IPv6'] }),
        endpoints: arr(ref(`${D}.Endpoint`), 'endpoints is a list of unique endpoints in this slice.', { listType: 'atomic' }),
        ports: arr(ref(`${D}.EndpointPort`), 'ports specifies the list of network ports exposed by each endpoint in this slice.', { listType: 'atomic' }),
      },
      'EndpointSlice represents a subset of the endpoints that implement a service.',
      ['addressType', 'endpoints'],
    ),
    [`${D}.Endpoint`]: obj(
      {
        addresses: arr(str(), 'addresses of this endpoint.', { listType: 'set' }),
        conditions: obj({ ready: bool('ready indicates that this endpoint is ready to receive traffic.'), serving: bool('serving indicates that this endpoint is able to receive traffic.'), terminating: bool('terminating indicates that this endpoint is terminating.') }, 'conditions contains information about the current status of the endpoint.'),
        deprecatedTopology: stringMap('deprecatedTopology contains topology information part of the v1beta1 API.'),
        hints: obj({ forZones: arr(obj({ name: str() }), 'forZones indicates the zone(s) this endpoint should be consumed by.', { listType: 'atomic' }) }, 'hints contains information associated with how an endpoint should be consumed.'),
        hostname: str('hostname of this endpoint.'),
        nodeName: str('nodeName represents the name of the Node hosting this endpoint.'),
        targetRef: ref('io.k8s.api.core.v1.ObjectReference', 'targetRef is a reference to a Kubernetes object that represents this endpoint.'),
        zone: str('zone is the name of the Zone this endpoint exists in.'),
      },
      'Endpoint represents a single logical "backend" implementing a service.',
      ['addresses'],
    ),
    [`${D}.EndpointPort`]: { ...obj({ appProtocol: str('The application protocol for this port.'), name: str('name represents the name of this port.'), port: int32('port represents the port number of the endpoint.'), protocol: str('protocol represents the IP protocol for this port.') }, 'EndpointPort represents a Port used by an EndpointSlice'), 'x-kubernetes-map-type': 'atomic' },
  },
  strategy: {
    validate: (o) => {
      const errs: FieldError[] = [];
      if (!ADDRESS_TYPES.includes(String(o.addressType ?? ''))) errs.push({ path: 'addressType', type: 'FieldValueNotSupported', value: o.addressType ?? '', detail: 'supported values: "FQDN", "IPv4", "IPv6"' });
      return errs;
    },
  },
  table: {
    columns: [NAME_COLUMN, column('AddressType', 'string', 'The address type of the endpoints.'), column('Ports', 'string', 'Ports of the endpoints.'), column('Endpoints', 'string', 'Endpoints.'), AGE_COLUMN],
    cells: (o, now) => {
      const s = o as unknown as Slice;
      const ports = (s.ports ?? []).map((p) => String(p.port ?? '')).join(',') || '<unset>';
      const addrs = (s.endpoints ?? []).flatMap((e) => e.addresses ?? []);
      const shown = addrs.slice(0, 3).join(',');
      const eps = addrs.length === 0 ? '<unset>' : addrs.length > 3 ? `${shown} + ${addrs.length - 3} more...` : shown;
      return [o.metadata.name, s.addressType ?? '', ports, eps, age(o.metadata.creationTimestamp, now)];
    },
  },
};
