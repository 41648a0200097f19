// core/v1 Event: listed by `kubectl describe` with involvedObject.* field selectors.
import { column } from '../../../apimachinery/table.ts';
import { age } from '../../../apimachinery/duration.ts';
import type { StoredObject } from '../../../storage/interface.ts';
import { dateTime, int32, kind, obj, ref, str } from '../../openapi/dsl.ts';
import type { ResourceDefinition } from '../../registry/resource.ts';

const SCHEMA = 'io.k8s.api.core.v1.Event';
const C = 'io.k8s.api.core.v1';

const INVOLVED = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'];

function fields(o: StoredObject): Record<string, string> {
  const inv = (o.involvedObject ?? {}) as Record<string, unknown>;
  const src = (o.source ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const f of INVOLVED) out[`involvedObject.${f}`] = String(inv[f] ?? '');
  out.reason = String(o.reason ?? '');
  out.reportingComponent = String(o.reportingComponent ?? '');
  out.source = String(src.component ?? o.reportingComponent ?? '');
  out.type = String(o.type ?? '');
  return out;
}

export const events: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Event',
  listKind: 'EventList',
  plural: 'events',
  singular: 'event',
  namespaced: true,
  shortNames: ['ev'],
  fieldSelectors: [...INVOLVED.map((f) => `involvedObject.${f}`), 'reason', 'reportingComponent', 'source', 'type'],
  schemaName: SCHEMA,
  schemas: {
    [SCHEMA]: kind(
      {
        action: str('What action was taken/failed regarding to the Regarding object.'),
        count: int32('The number of times this event has occurred.'),
        eventTime: { type: 'string', format: 'date-time', description: 'Time when this Event was first observed.' },
        firstTimestamp: dateTime('The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)'),
        involvedObject: ref(`${C}.ObjectReference`, 'The object that this event is about.', { default: {} }),
        lastTimestamp: dateTime('The time at which the most recent occurrence of this event was recorded.'),
        message: str('A human-readable description of the status of this operation.'),
        reason: str("This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
        related: ref(`${C}.ObjectReference`, 'Optional secondary object for more complex actions.'),
        reportingComponent: str('Name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`.', { default: '' }),
        reportingInstance: str('ID of the controller instance, e.g. `kubelet-xyzf`.', { default: '' }),
        series: obj({ count: int32('Number of occurrences in this series up to the last heartbeat time'), lastObservedTime: { type: 'string', format: 'date-time' } }, 'Data about the Event series this event represents or nil if it\'s a singleton Event.'),
        source: obj({ component: str('Component from which the event is generated.'), host: str('Node name on which the event is generated.') }, 'The component reporting this event. Should be a short machine understandable string.'),
        type: str('Type of this event (Normal, Warning), new types could be added in the future'),
      },
      'Event is a report of an event somewhere in the cluster.',
      ['metadata', 'involvedObject'],
    ),
  },
  strategy: {
    selectableFields: fields,
    validate: (o) => (o.involvedObject ? [] : [{ path: 'involvedObject', type: 'FieldValueRequired', detail: '' }]),
  },
  table: {
    columns: [
      column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
      column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future.'),
      column('Reason', 'string', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
      column('Object', 'string', 'The object that this event is about.'),
      column('Message', 'string', 'A human-readable description of the status of this operation.'),
    ],
    cells: (o, now) => {
      const inv = (o.involvedObject ?? {}) as Record<string, unknown>;
      const last = o.lastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp;
      return [age(last, now), o.type ?? '', o.reason ?? '', `${String(inv.kind ?? '').toLowerCase()}/${String(inv.name ?? '')}`, o.message ?? ''];
    },
  },
};
