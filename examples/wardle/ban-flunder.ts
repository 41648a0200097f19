// BanFlunder (sample-apiserver plugin/admission/banflunder): on CREATE of a flunder, refuse a
// name that any Fischer lists in disallowedFlunders — and, for standalone use, a name from
// the server's configured banned list. 403 with upstream's wording:
//   flunders.wardle.example.com "x" is forbidden: this name may not be used, please change the resource name
import { forbidden, objectKey, type AdmissionHook, type Store, type StoredObject } from '../../src/extension/mod.ts';
import { disallowedFlunders } from './fischer.ts';
import { WARDLE_GROUP } from './flunder.ts';

export const BAN_MESSAGE = 'this name may not be used, please change the resource name';

export interface BanFlunderOptions {
  store: Store;
  etcdPrefix: string;
  /** Names refused besides those of the Fischers. */
  banned?: readonly string[];
}

export function createBanFlunder(options: BanFlunderOptions): AdmissionHook {
  const banned = new Set(options.banned ?? []);
  const fischers = objectKey(options.etcdPrefix, { group: WARDLE_GROUP, resource: 'fischers' }, '', '');
  return async function banFlunder(req) {
    if (req.operation !== 'CREATE' || req.resource !== 'flunders' || req.subresource !== '') return;
    const name = req.object?.metadata.name ?? req.name;
    let refused = banned.has(name);
    if (!refused) {
      const { items } = await options.store.list(fischers);
      refused = items.some((f: StoredObject) => disallowedFlunders(f).includes(name));
    }
    if (refused) throw forbidden({ group: WARDLE_GROUP, resource: 'flunders' }, name, BAN_MESSAGE);
  };
}
