// POST to a collection (k8s.io/apiserver handlers/create.go): decode, default, admit,
// validate, store; 201 with the stored object.
import { badRequest } from '../../apimachinery/status.ts';
import { MEDIA } from '../../apimachinery/media-types.ts';
import { isStorageError } from '../../storage/errors.ts';
import type { StoredObject } from '../../storage/interface.ts';
import type { RestRequest } from './context.ts';
import { contentTypeOf, decodeObjectBody, readBody } from './decode-body.ts';
import { validateBodyFields } from './field-validation.ts';
import { checkNamespaceForCreate } from './namespace-check.ts';
import { checkKind } from './object-kind.ts';
import { generateName, metadataOf, prepareCreateMeta } from './object-meta.ts';
import { isDryRun, keyOf, respond, runAdmission, storage, timestamp, withTypeMeta } from './rest-common.ts';
import { validateCreate } from './validate-object.ts';

const GENERATE_ATTEMPTS = 5;

/** Decodes a POST/PUT body into an object of the resource's kind. */
export async function decodeRequestObject(r: RestRequest): Promise<StoredObject> {
  const type = contentTypeOf(r.req);
  const raw = await readBody(r.req);
  const body = decodeObjectBody(type, raw);
  checkKind(body, r.def);
  validateBodyFields(r, body, r.def.kind, type === MEDIA.json ? raw.toString('utf8') : undefined);
  const meta = metadataOf(body);
  if (r.def.namespaced) {
    if (meta.namespace && meta.namespace !== r.namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    meta.namespace = r.namespace;
  } else {
    delete meta.namespace;
  }
  return body as StoredObject;
}

export async function createObject(r: RestRequest): Promise<void> {
  const obj = await decodeRequestObject(r);
  respond(r, 201, await createDecoded(r, obj));
}

/** The create pipeline after decoding; also used by server-side apply of an absent object. */
export async function createDecoded(r: RestRequest, obj: StoredObject, managedFields?: unknown[]): Promise<StoredObject> {
  const meta = obj.metadata;
  prepareCreateMeta(meta, timestamp(r.registry.clock()), r.registry.newUID());
  if (managedFields) meta.managedFields = managedFields;
  const base = typeof meta.generateName === 'string' && !meta.name ? meta.generateName : '';
  if (base) meta.name = generateName(base);
  if (r.def.statusSubresource) delete obj.status;
  r.def.strategy?.prepareForCreate?.(obj);
  await runAdmission(r, 'CREATE', obj, undefined);
  validateCreate(r.def, obj);
  await r.def.beforeCreate?.(obj, { store: r.registry.store, etcdPrefix: r.registry.etcdPrefix });
  const name = meta.name ?? '';
  await checkNamespaceForCreate(r, name);
  const served = withTypeMeta(r.def, obj);
  if (isDryRun(r.query)) return served;
  for (let attempt = 1; ; attempt++) {
    try {
      const stored = await storage(r, served.metadata.name ?? '', () => r.registry.store.create(keyOf(r, served.metadata.name ?? ''), served));
      await r.def.afterCreate?.(stored, { store: r.registry.store, etcdPrefix: r.registry.etcdPrefix });
      return stored;
    } catch (err) {
      if (!base || attempt >= GENERATE_ATTEMPTS || !isAlreadyExists(err)) throw err;
      served.metadata.name = generateName(base);
    }
  }
}

function isAlreadyExists(err: unknown): boolean {
  return isStorageError(err, 'AlreadyExists') || (err instanceof Error && 'reason' in err && (err as { reason: unknown }).reason === 'AlreadyExists');
}
