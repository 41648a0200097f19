// Per-resource admission hooks, run by the generic registry after decoding and defaulting
// and before validation and storage. Used for RBAC's escalation check and by extension
// servers (validate/mutate functions per resource). A hook throws a StatusError to refuse.
import type { UserInfo } from '../authn/user.ts';
import type { StoredObject } from '../../storage/interface.ts';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionRequest {
  operation: AdmissionOperation;
  user: UserInfo;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  /** The incoming object (CREATE, UPDATE); hooks may mutate it in place. */
  object?: StoredObject;
  /** The stored object (UPDATE, DELETE). */
  oldObject?: StoredObject;
  signal?: AbortSignal;
}

export type AdmissionHook = (req: AdmissionRequest) => Promise<void> | void;
