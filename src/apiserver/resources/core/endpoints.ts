// core/v1 Endpoints.
import { AGE_COLUMN, NAME_COLUMN, column } from '../../../apimachinery/table.ts';
import { age } from '../../../apimachinery/duration.ts';
import type { StoredObject } from '../../../storage/interface.ts';
import { arr, int32, kind, obj, ref, str } from '../../openapi/dsl.ts';
import type { ResourceDefinition } from '../../registry/resource.ts';

const SCHEMA = 'io.k8s.api.core.v1.Endpoints';
const C = 'io.k8s.api.core.v1';

interface Subset {
  addresses?: Array<{ ip?: string }>;
  ports?: Array<{ port?: number }>;
}

/** First three ip:port pairs, then ` + N more...` (printers.go formatEndpoints). */
export function formatEndpoints(o: StoredObject): string {
  const subsets = (o.subsets ?? []) as Subset[];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const ss of subsets) {
    const ports = ss.ports && ss.ports.length > 0 ? ss.ports : [undefined];
    for (const port of ports) {
      for (const addr of ss.addresses ?? []) {
        if (list.length < 3) list.push(port ? `${addr.ip}:${port.port}` : `${addr.ip}`);
        count++;
      }
    }
  }
  if (count === 0) return '<none>';
  return count > list.length ? `${list.join(',')} + ${count - list.length} more...` : list.join(',');
}

export const endpoints: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  listKind: 'EndpointsList',
  plural: 'endpoints',
  singular: 'endpoints',
  namespaced: true,
  shortNames: ['ep'],
  allowCreateOnUpdate: true,
  schemaName: SCHEMA,
  schemas: {
    [SCHEMA]: kind({ subsets: arr(ref(`${C}.EndpointSubset`), 'The set of all endpoints is the union of all subsets.', { listType: 'atomic' }) }, 'Endpoints is a collection of endpoints that implement the actual service.'),
    [`${C}.EndpointSubset`]: obj(
      {
        addresses: arr(ref(`${C}.EndpointAddress`), 'IP addresses which offer the related ports that are marked as ready.', { listType: 'atomic' }),
        notReadyAddresses: arr(ref(`${C}.EndpointAddress`), 'IP addresses which offer the related ports but are not currently marked as ready.', { listType: 'atomic' }),
        ports: arr(ref(`${C}.EndpointPort`), 'Port numbers available on the related IP addresses.', { listType: 'atomic' }),
      },
      'EndpointSubset is a group of addresses with a common set of ports.',
    ),
    [`${C}.EndpointAddress`]: obj(
      { hostname: str('The Hostname of this endpoint'), ip: str('The IP of this endpoint.', { default: '' }), nodeName: str('Optional: Node hosting this endpoint.'), targetRef: ref(`${C}.ObjectReference`, 'Reference to object providing the endpoint.') },
      'EndpointAddress is a tuple that describes single IP address.',
      ['ip'],
    ),
    [`${C}.EndpointPort`]: obj({ appProtocol: str('The application protocol for this port.'), name: str('The name of this port.'), port: int32('The port number of the endpoint.'), protocol: str('The IP protocol for this port. Must be UDP, TCP, or SCTP. Default is TCP.') }, 'EndpointPort is a tuple that describes a single port.', ['port']),
  },
  table: {
    columns: [NAME_COLUMN, column('Endpoints', 'string', 'Endpoints is the list of endpoints in the service'), AGE_COLUMN],
    cells: (o, now) => [o.metadata.name, formatEndpoints(o), age(o.metadata.creationTimestamp, now)],
  },
};
