// Objects are stored as JSON without metadata.resourceVersion; reads set it to the
// revision of the object's last write as a decimal string (k8s APIObjectVersioner).
import { StorageError } from './errors.ts';
import type { StoredObject } from './interface.ts';

export function encodeObject(key: string, obj: StoredObject): string {
  if (typeof obj !== 'object' || obj === null || typeof obj.metadata !== 'object' || obj.metadata === null) {
    throw new StorageError('InvalidObject', key, `object for ${key} has no metadata`);
  }
  const { resourceVersion: _ignored, ...metadata } = obj.metadata;
  return JSON.stringify({ ...obj, metadata });
}

export function decodeObject(key: string, value: string, revision: number): StoredObject {
  let obj: StoredObject;
  try {
    obj = JSON.parse(value) as StoredObject;
  } catch (err) {
    throw new StorageError('InvalidObject', key, `stored value for ${key} is not JSON`, revision, { cause: err });
  }
  obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(revision) };
  return obj;
}

/** Parses a resourceVersion; '' / undefined → 0. */
export function parseRevision(key: string, rv: string | undefined): number {
  if (rv === undefined || rv === '') return 0;
  const n = Number(rv);
  // Past 2^53-1 a number would round to another revision: refuse it like an invalid one.
  if (!/^\d+$/.test(rv) || !Number.isSafeInteger(n)) throw new StorageError('InvalidObject', key, `invalid resource version: ${rv}`);
  return n;
}
