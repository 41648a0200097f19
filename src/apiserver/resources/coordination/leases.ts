// coordination.k8s.io/v1 Lease.
import { AGE_COLUMN, NAME_COLUMN, column } from '../../../apimachinery/table.ts';
import { age } from '../../../apimachinery/duration.ts';
import { int32, kind, obj, str } from '../../openapi/dsl.ts';
import type { ResourceDefinition } from '../../registry/resource.ts';

const L = 'io.k8s.api.coordination.v1';
const MICRO = { type: 'string' as const, format: 'date-time' };

export const leases: ResourceDefinition = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  listKind: 'LeaseList',
  plural: 'leases',
  singular: 'lease',
  namespaced: true,
  allowCreateOnUpdate: true,
  schemaName: `${L}.Lease`,
  schemas: {
    [`${L}.Lease`]: kind({ spec: { allOf: [{ $ref: `#/components/schemas/${L}.LeaseSpec` }], default: {}, description: 'spec contains the specification of the Lease. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status' } }, 'Lease defines a lease concept.'),
    [`${L}.LeaseSpec`]: obj(
      {
        acquireTime: { ...MICRO, description: 'acquireTime is a time when the current lease was acquired.' },
        holderIdentity: str('holderIdentity contains the identity of the holder of a current lease.'),
        leaseDurationSeconds: int32('leaseDurationSeconds is a duration that candidates for a lease need to wait to force acquire it.'),
        leaseTransitions: int32('leaseTransitions is the number of transitions of a lease between holders.'),
        preferredHolder: str('PreferredHolder signals to a lease holder that the lease has a more optimal holder and should be given up.'),
        renewTime: { ...MICRO, description: 'renewTime is a time when the current holder of a lease has last updated the lease.' },
        strategy: str('Strategy indicates the strategy for picking the leader for coordinated leader election.'),
      },
      'LeaseSpec is a specification of a Lease.',
    ),
  },
  table: {
    columns: [NAME_COLUMN, column('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'), AGE_COLUMN],
    cells: (o, now) => [o.metadata.name, ((o.spec ?? {}) as Record<string, unknown>).holderIdentity ?? '', age(o.metadata.creationTimestamp, now)],
  },
};
