// RFC 6902 JSON patch (application/json-patch+json); the one module over fast-json-patch
// (a CommonJS package: only its default export works under ESM).
import fastJsonPatch, { type Operation } from 'fast-json-patch';
import { StatusError, badRequest } from './status.ts';

export function jsonPatch(document: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  try {
    return fastJsonPatch.applyPatch(structuredClone(document), ops as Operation[], true, true, true).newDocument;
  } catch (err) {
    throw new StatusError('Invalid', `the server rejected our request due to an error in our request: ${(err as Error).message.split('\n')[0]}`);
  }
}
