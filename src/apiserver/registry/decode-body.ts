// Reads a request body and decodes it by Content-Type: JSON, YAML or Kubernetes protobuf
// (kubectl.md §1.2). The only YAML parser of the registry.
import type { IncomingMessage } from 'node:http';
import { parse as parseYAML, YAMLParseError } from 'yaml';
import { MEDIA, parseMediaType } from '../../apimachinery/media-types.ts';
import { badRequest, requestEntityTooLarge, unsupportedMediaType } from '../../apimachinery/status.ts';
import { decodeProtobuf } from '../protobuf/decode.ts';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;
const OBJECT_MEDIA = [MEDIA.json, MEDIA.yaml, MEDIA.protobuf];

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) throw requestEntityTooLarge();
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

export function contentTypeOf(req: IncomingMessage): string {
  return parseMediaType(req.headers['content-type'] ?? MEDIA.json).type;
}

/** Nesting deeper than this is refused before parsing, as sigs.k8s.io/json does. */
export const MAX_NESTING_DEPTH = 10_000;

/** The deepest `[`/`{` nesting outside strings (a linear scan; no recursion). */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** Parses JSON, or YAML (a superset) when `yaml` is set; the result must be an object. */
export function parseStructured(text: string, yaml: boolean): unknown {
  if (nestingDepth(text) > MAX_NESTING_DEPTH) throw badRequest("couldn't get version/kind; json parse error: exceeded max depth");
  if (!yaml) {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
    }
  }
  try {
    return parseYAML(text, { uniqueKeys: false });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const line = err.linePos?.[0]?.line;
      throw badRequest(`error converting YAML to JSON: yaml: ${line ? `line ${line}: ` : ''}${err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
    }
    throw err;
  }
}

/** Decodes an object body (create, update, actions). */
export function decodeObjectBody(contentType: string, body: Buffer): Record<string, unknown> {
  if (contentType === MEDIA.protobuf) return decodeProtobuf(body).object;
  if (contentType !== MEDIA.json && contentType !== MEDIA.yaml && contentType !== 'text/yaml' && contentType !== 'application/x-yaml') {
    throw unsupportedMediaType(contentType, OBJECT_MEDIA);
  }
  const text = body.toString('utf8');
  if (text.trim() === '') throw badRequest('the request body is empty');
  const value = parseStructured(text, contentType !== MEDIA.json);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest("couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }");
  }
  return value as Record<string, unknown>;
}
