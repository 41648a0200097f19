// Dispatches a resource request to its REST verb (k8s.io/apiserver endpoints/installer.go).
import { methodNotSupported } from '../../apimachinery/status.ts';
import type { RestRequest } from './context.ts';
import { routeNotFound } from './errors.ts';
import { actionKey, verbsOf, type Verb } from './resource.ts';
import { runAction } from './rest-action.ts';
import { createObject } from './rest-create.ts';
import { deleteCollection, deleteObject } from './rest-delete.ts';
import { patchObject } from './rest-patch.ts';
import { getObject, listObjects } from './rest-read.ts';
import { updateObject } from './rest-update.ts';
import { watchObjects } from './rest-watch.ts';
import { groupResource } from './rest-common.ts';

/** Sub-resources served by the generic store besides actions. */
const STORE_SUBRESOURCES = new Set(['status', 'finalize']);

export async function routeResource(r: RestRequest): Promise<void> {
  const { def, info } = r;
  const sub = info.subresource;
  const pathName = info.parts[1] ?? '';
  if (sub) {
    const actionSub = def.actionSubresources?.find((s) => s.name === sub);
    if (actionSub) {
      const action = r.registry.actions[actionKey(def, sub)];
      if (!action) throw routeNotFound();
      if (info.verb !== 'create') throw methodNotSupported(groupResource(def), info.verb);
      return runAction(r, action, actionSub);
    }
    const allowed = (sub === 'status' && def.statusSubresource) || (sub === 'finalize' && def.group === '' && def.plural === 'namespaces');
    if (!allowed || !STORE_SUBRESOURCES.has(sub)) throw routeNotFound();
    if (info.verb === 'get') return getObject(r);
    if (info.verb === 'update') return updateObject(r);
    if (info.verb === 'patch' && sub === 'status') return patchObject(r);
    throw methodNotSupported(groupResource(def), info.verb);
  }
  if (def.action) {
    const action = r.registry.actions[actionKey(def)];
    if (!action) throw routeNotFound();
    if (info.verb !== 'create' || pathName) throw methodNotSupported(groupResource(def), info.verb);
    return runAction(r, action);
  }
  const verb = effectiveVerb(info.verb, pathName);
  if (!verb || !verbsOf(def).includes(verb)) throw methodNotSupported(groupResource(def), info.verb);
  switch (verb) {
    case 'get':
      return getObject(r);
    case 'list':
      return listObjects(r);
    case 'watch':
      return watchObjects(r, pathName);
    case 'create':
      if (pathName) throw methodNotSupported(groupResource(def), 'create');
      return createObject(r);
    case 'update':
      return updateObject(r);
    case 'patch':
      return patchObject(r);
    case 'delete':
      return deleteObject(r);
    case 'deletecollection':
      return deleteCollection(r);
  }
}

function effectiveVerb(verb: string, pathName: string): Verb | undefined {
  // RequestInfo names list/watch requests after a metadata.name field selector; the path decides here.
  if (verb === 'list' && pathName) return 'get';
  if ((verb === 'update' || verb === 'patch' || verb === 'delete') && !pathName) return verb === 'delete' ? 'deletecollection' : undefined;
  const known: readonly string[] = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
  return known.includes(verb) ? (verb as Verb) : undefined;
}
