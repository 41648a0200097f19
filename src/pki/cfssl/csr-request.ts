// cfssl's CSR request JSON (`gencert` input): CN, names[], hosts[], key{algo,size}, ca{…},
// serialnumber. Keys match case-insensitively like Go's decoder; wrong types are reported
// with the field path.
import { PkiError } from '../errors.ts';
import type { KeyAlgorithm, KeySpec } from '../keys.ts';
import type { Subject } from '../names.ts';
import { goField, isJsonObject, parseGoJson, type JsonObject, type JsonValue } from './go-json.ts';

export interface CfsslName {
  C: string;
  ST: string;
  L: string;
  O: string;
  OU: string;
  SerialNumber: string;
}

export interface CfsslCaSection {
  expiry: string;
  pathlen: number;
  pathlenzero: boolean;
}

export interface CfsslCsrRequest {
  CN: string;
  names: CfsslName[];
  hosts: string[];
  /** cfssl's default when `key` is absent: ecdsa 256. */
  key: KeySpec;
  ca?: CfsslCaSection;
  serialnumber: string;
}

export const CFSSL_DEFAULT_KEY: KeySpec = { algo: 'ecdsa', size: 256 };

function typeName(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}

function wrongType(path: string, want: string, got: JsonValue): never {
  throw new PkiError('INVALID_REQUEST', `field "${path}": expected ${want}, got ${typeName(got)}`);
}

function str(obj: JsonObject, key: string, path: string): string {
  const v = goField(obj, key);
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') wrongType(path, 'a string', v);
  return v as string;
}

function int(obj: JsonObject, key: string, path: string): number {
  const v = goField(obj, key);
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v)) wrongType(path, 'an integer', v);
  return v as number;
}

function bool(obj: JsonObject, key: string, path: string): boolean {
  const v = goField(obj, key);
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') wrongType(path, 'true or false', v);
  return v as boolean;
}

function obj(parent: JsonObject, key: string, path: string): JsonObject | undefined {
  const v = goField(parent, key);
  if (v === undefined || v === null) return undefined;
  if (!isJsonObject(v)) wrongType(path, 'an object', v);
  return v as JsonObject;
}

function list(parent: JsonObject, key: string, path: string): JsonValue[] {
  const v = goField(parent, key);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) wrongType(path, 'an array', v);
  return v as JsonValue[];
}

/** Parses the JSON text of a cfssl CSR request. JsonSyntaxError or PkiError(INVALID_REQUEST). */
export function parseCfsslCsrRequest(text: string): CfsslCsrRequest {
  const root = parseGoJson(text);
  if (!isJsonObject(root)) wrongType('(top level)', 'an object', root);
  const top = root as JsonObject;
  const names = list(top, 'names', 'names').map((n, i): CfsslName => {
    if (!isJsonObject(n)) wrongType(`names[${i}]`, 'an object', n);
    const o = n as JsonObject;
    return { C: str(o, 'C', `names[${i}].C`), ST: str(o, 'ST', `names[${i}].ST`), L: str(o, 'L', `names[${i}].L`), O: str(o, 'O', `names[${i}].O`), OU: str(o, 'OU', `names[${i}].OU`), SerialNumber: str(o, 'SerialNumber', `names[${i}].SerialNumber`) };
  });
  const hosts = list(top, 'hosts', 'hosts').map((h, i) => {
    if (typeof h !== 'string') wrongType(`hosts[${i}]`, 'a string', h);
    return h as string;
  });
  const keyObj = obj(top, 'key', 'key');
  const key: KeySpec = keyObj ? { algo: str(keyObj, 'algo', 'key.algo') as KeyAlgorithm, size: int(keyObj, 'size', 'key.size') } : { ...CFSSL_DEFAULT_KEY };
  const caObj = obj(top, 'ca', 'ca');
  const ca = caObj ? { expiry: str(caObj, 'expiry', 'ca.expiry'), pathlen: int(caObj, 'pathlen', 'ca.pathlen'), pathlenzero: bool(caObj, 'pathlenzero', 'ca.pathlenzero') } : undefined;
  return { CN: str(top, 'CN', 'CN'), names, hosts, key, ...(ca ? { ca } : {}), serialnumber: str(top, 'serialnumber', 'serialnumber') };
}

/** The subject cfssl builds: every non-empty value of every names[] entry, in array order. */
export function cfsslSubject(req: CfsslCsrRequest): Subject {
  const pick = (k: keyof CfsslName) => req.names.map((n) => n[k]).filter((v) => v !== '');
  const serial = req.serialnumber || pick('SerialNumber')[0] || '';
  return {
    C: pick('C'),
    ST: pick('ST'),
    L: pick('L'),
    O: pick('O'),
    OU: pick('OU'),
    ...(req.CN ? { CN: req.CN } : {}),
    ...(serial ? { serialNumber: serial } : {}),
  };
}

/** How cfssl names a key request in its log: `rsa-2048`, `ecdsa-256`. */
export function keyLabel(spec: KeySpec): string {
  return `${spec.algo}-${spec.size}`;
}
