// Decodes `application/vnd.kubernetes.protobuf` request bodies (kubectl.md §1.2): the
// `k8s\0` magic, a runtime.Unknown envelope, and the versioned object in `raw`. The result
// is the object as its JSON form would be: Time as RFC 3339, IntOrString as a number or
// string, bytes as base64, and gogo's always-emitted empty scalars dropped (omitempty).
// This module is the only one that touches protobufjs.
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { unsupportedMediaType, badRequest } from '../../apimachinery/status.ts';
import { MEDIA } from '../../apimachinery/media-types.ts';

const PROTO_FILES = ['meta', 'runtime', 'intstr', 'core', 'rbac', 'authentication', 'authorization'];
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** apiVersion/kind → message type name. */
const KINDS: Record<string, string> = {
  'v1/ConfigMap': 'k8s.io.api.core.v1.ConfigMap',
  'v1/Secret': 'k8s.io.api.core.v1.Secret',
  'v1/Namespace': 'k8s.io.api.core.v1.Namespace',
  'v1/ServiceAccount': 'k8s.io.api.core.v1.ServiceAccount',
  'v1/Service': 'k8s.io.api.core.v1.Service',
  'rbac.authorization.k8s.io/v1/Role': 'k8s.io.api.rbac.v1.Role',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'k8s.io.api.rbac.v1.ClusterRole',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'k8s.io.api.rbac.v1.RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'k8s.io.api.rbac.v1.ClusterRoleBinding',
  'authentication.k8s.io/v1/TokenRequest': 'k8s.io.api.authentication.v1.TokenRequest',
  'authentication.k8s.io/v1/TokenReview': 'k8s.io.api.authentication.v1.TokenReview',
  'authentication.k8s.io/v1/SelfSubjectReview': 'k8s.io.api.authentication.v1.SelfSubjectReview',
  'authorization.k8s.io/v1/SubjectAccessReview': 'k8s.io.api.authorization.v1.SubjectAccessReview',
  'authorization.k8s.io/v1/LocalSubjectAccessReview': 'k8s.io.api.authorization.v1.LocalSubjectAccessReview',
  'authorization.k8s.io/v1/SelfSubjectAccessReview': 'k8s.io.api.authorization.v1.SelfSubjectAccessReview',
  'authorization.k8s.io/v1/SelfSubjectRulesReview': 'k8s.io.api.authorization.v1.SelfSubjectRulesReview',
};

let root: protobuf.Root | undefined;

function loadRoot(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  for (const f of PROTO_FILES) {
    const src = readFileSync(new URL(`./proto/${f}.proto`, import.meta.url), 'utf8');
    protobuf.parse(src, r, { keepCase: true });
  }
  r.resolveAll();
  root = r;
  return r;
}

export function isProtobufKindSupported(apiVersion: string, kind: string): boolean {
  return Object.hasOwn(KINDS, `${apiVersion}/${kind}`);
}

export interface DecodedObject {
  apiVersion: string;
  kind: string;
  object: Record<string, unknown>;
}

export function decodeProtobuf(body: Buffer): DecodedObject {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw badRequest('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  const r = loadRoot();
  let apiVersion = '';
  let kind = '';
  let raw: Uint8Array;
  try {
    const unknownType = r.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
    const env = unknownType.toObject(unknownType.decode(body.subarray(4)), { defaults: true }) as { typeMeta?: { apiVersion?: string; kind?: string }; raw?: Uint8Array };
    apiVersion = env.typeMeta?.apiVersion ?? '';
    kind = env.typeMeta?.kind ?? '';
    raw = env.raw ?? new Uint8Array();
  } catch (err) {
    throw badRequest(`unable to decode protobuf envelope: ${(err as Error).message}`);
  }
  const typeName = KINDS[`${apiVersion}/${kind}`];
  if (!typeName) throw unsupportedMediaType(MEDIA.protobuf, [MEDIA.json, MEDIA.yaml]);
  const type = r.lookupType(typeName);
  let message: protobuf.Message;
  try {
    message = type.decode(raw);
  } catch (err) {
    throw badRequest(`${kind} in version "${apiVersion}" cannot be handled as a ${kind}: ${(err as Error).message}`);
  }
  const plain = type.toObject(message, { longs: Number, bytes: String, defaults: false }) as Record<string, unknown>;
  const object = convertMessage(type, plain);
  return { apiVersion, kind, object: { apiVersion, kind, ...object } };
}

/** Encodes an object (JSON form, simple fields only) the way client-go does; used by tests and tools. */
export function encodeProtobuf(apiVersion: string, kind: string, object: Record<string, unknown>): Buffer {
  const r = loadRoot();
  const typeName = KINDS[`${apiVersion}/${kind}`];
  if (!typeName) throw new Error(`no protobuf message for ${apiVersion}/${kind}`);
  const type = r.lookupType(typeName);
  const { apiVersion: _a, kind: _k, ...rest } = object;
  const raw = type.encode(type.fromObject(rest)).finish();
  const unknownType = r.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  const env = unknownType.encode(unknownType.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '' })).finish();
  return Buffer.concat([MAGIC, env]);
}

function convertMessage(type: protobuf.Type, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    const v = value[field.name];
    if (v === undefined || v === null) continue;
    const converted = convertField(field, v);
    if (converted !== undefined) out[field.name] = converted;
  }
  return out;
}

function convertField(field: protobuf.Field, v: unknown): unknown {
  if (field instanceof protobuf.MapField) {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return undefined;
    const t = field.resolvedType;
    return Object.fromEntries(entries.map(([k, x]) => [k, t instanceof protobuf.Type ? convertSingle(t, x) : x]));
  }
  if (field.repeated) {
    const arr = v as unknown[];
    if (arr.length === 0) return undefined;
    const t = field.resolvedType;
    return arr.map((x) => (t instanceof protobuf.Type ? convertSingle(t, x) : x));
  }
  const t = field.resolvedType;
  if (t instanceof protobuf.Type) return convertSingle(t, v);
  // gogo writes non-pointer scalars even when zero; JSON omits them (omitempty).
  if (v === '' || v === 0) return undefined;
  return v;
}

function convertSingle(t: protobuf.Type, v: unknown): unknown {
  const obj = v as Record<string, unknown>;
  switch (t.name) {
    case 'Time': {
      const seconds = Number(obj.seconds ?? 0);
      if (seconds === 0 && !obj.nanos) return undefined;
      return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    case 'IntOrString':
      return Number(obj.type ?? 0) === 1 ? (obj.strVal ?? '') : (obj.intVal ?? 0);
    case 'ExtraValue':
      return (obj.items as unknown[] | undefined) ?? [];
    default:
      return convertMessage(t, obj);
  }
}
