// core/v1 Service: defaulting, a free ClusterIP from 10.96.0.0/12, validation, and the
// kubectl columns (printers.go printService).
import { createHash } from 'node:crypto';
import { allocateClusterIP } from './service-ip.ts';
import { AGE_COLUMN, NAME_COLUMN, column } from '../../../apimachinery/table.ts';
import { age } from '../../../apimachinery/duration.ts';
import type { FieldError } from '../../../apimachinery/status.ts';
import type { StoredObject } from '../../../storage/interface.ts';
import type { ResourceDefinition } from '../../registry/resource.ts';
import { SERVICE_SCHEMA, SERVICE_SCHEMAS } from './service-schema.ts';

interface Port {
  name?: string;
  protocol?: string;
  port?: number;
  targetPort?: number | string;
  nodePort?: number;
}

interface Spec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  externalIPs?: string[];
  externalName?: string;
  ports?: Port[];
  selector?: Record<string, string>;
  sessionAffinity?: string;
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  internalTrafficPolicy?: string;
  externalTrafficPolicy?: string;
}

const TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

function specOf(o: StoredObject): Spec {
  if (typeof o.spec !== 'object' || o.spec === null) o.spec = {};
  return o.spec as Spec;
}

function defaults(o: StoredObject, old?: StoredObject): void {
  const spec = specOf(o);
  spec.type ??= 'ClusterIP';
  for (const p of spec.ports ?? []) {
    p.protocol ??= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0) p.targetPort = p.port;
  }
  if (spec.type === 'ExternalName') return;
  const oldSpec = old ? specOf(old) : undefined;
  if (!spec.clusterIP && oldSpec?.clusterIP) spec.clusterIP = oldSpec.clusterIP;
  // On create the address comes from allocateClusterIP (beforeCreate).
  if (spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
  spec.sessionAffinity ??= 'None';
  spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.clusterIP !== 'None') {
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
  }
  if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    (spec.ports ?? []).forEach((p, i) => (p.nodePort ??= 30000 + ((Number.parseInt(createHash('sha256').update(`${o.metadata.uid}/${i}`).digest('hex').slice(0, 6), 16) % 2768))));
  }
  o.status ??= { loadBalancer: {} };
}

function validate(o: StoredObject): FieldError[] {
  const spec = specOf(o);
  const errs: FieldError[] = [];
  if (!TYPES.includes(spec.type ?? '')) errs.push({ path: 'spec.type', type: 'FieldValueNotSupported', value: spec.type, detail: `supported values: ${TYPES.map((t) => `"${t}"`).join(', ')}` });
  const ports = spec.ports ?? [];
  if (spec.type === 'ExternalName') {
    if (!spec.externalName) errs.push({ path: 'spec.externalName', type: 'FieldValueRequired', detail: '' });
  } else if (ports.length === 0 && spec.clusterIP !== 'None') {
    errs.push({ path: 'spec.ports', type: 'FieldValueRequired', detail: '' });
  }
  const names = new Set<string>();
  ports.forEach((p, i) => {
    if (typeof p.port !== 'number' || !Number.isInteger(p.port) || p.port < 1 || p.port > 65535) errs.push({ path: `spec.ports[${i}].port`, type: 'FieldValueInvalid', value: p.port, detail: 'must be between 1 and 65535, inclusive' });
    if (!['TCP', 'UDP', 'SCTP'].includes(p.protocol ?? 'TCP')) errs.push({ path: `spec.ports[${i}].protocol`, type: 'FieldValueNotSupported', value: p.protocol, detail: 'supported values: "SCTP", "TCP", "UDP"' });
    if (ports.length > 1 && !p.name) errs.push({ path: `spec.ports[${i}].name`, type: 'FieldValueRequired', detail: '' });
    if (p.name) {
      if (names.has(p.name)) errs.push({ path: `spec.ports[${i}].name`, type: 'FieldValueDuplicate', value: p.name, detail: '' });
      names.add(p.name);
    }
  });
  return errs;
}

function externalIP(spec: Spec, o: StoredObject): string {
  switch (spec.type) {
    case 'ExternalName':
      return spec.externalName ?? '';
    case 'LoadBalancer': {
      const ingress = ((((o.status ?? {}) as Record<string, unknown>).loadBalancer ?? {}) as { ingress?: Array<{ ip?: string; hostname?: string }> }).ingress ?? [];
      const all = [...ingress.map((i) => i.ip || i.hostname || ''), ...(spec.externalIPs ?? [])].filter(Boolean);
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    default:
      return spec.externalIPs && spec.externalIPs.length > 0 ? spec.externalIPs.join(',') : '<none>';
  }
}

function ports(spec: Spec): string {
  const ps = spec.ports ?? [];
  if (ps.length === 0) return '<none>';
  return ps.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

function selector(spec: Spec): string {
  const entries = Object.entries(spec.selector ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

export const services: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Service',
  listKind: 'ServiceList',
  plural: 'services',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  statusSubresource: true,
  nameValidation: 'dns1035',
  schemaName: SERVICE_SCHEMA,
  schemas: SERVICE_SCHEMAS,
  beforeCreate: allocateClusterIP,
  strategy: {
    prepareForCreate: (o) => defaults(o),
    prepareForUpdate: (o, old) => defaults(o, old),
    validate,
    validateUpdate: (o, old) => {
      const errs = validate(o);
      const a = specOf(o);
      const b = specOf(old);
      if (a.type !== 'ExternalName' && b.type !== 'ExternalName' && b.clusterIP && a.clusterIP !== b.clusterIP) errs.push({ path: 'spec.clusterIPs[0]', type: 'FieldValueInvalid', value: a.clusterIP, detail: 'may not change once set' });
      return errs;
    },
  },
  table: {
    columns: [
      NAME_COLUMN,
      column('Type', 'string', 'type determines how the Service is exposed.'),
      column('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
      column('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
      column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
      AGE_COLUMN,
      column('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', { priority: 1 }),
    ],
    cells: (o, now) => {
      const spec = (o.spec ?? {}) as Spec;
      const ip = spec.clusterIPs?.[0] ?? spec.clusterIP;
      return [o.metadata.name, spec.type ?? 'ClusterIP', ip || '<none>', externalIP(spec, o), ports(spec), age(o.metadata.creationTimestamp, now), selector(spec)];
    },
  },
};
