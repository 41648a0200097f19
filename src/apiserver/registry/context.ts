// The state shared by every REST handler, and what one request is about.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Schemas } from '../../apimachinery/schema.ts';
import type { UserInfo } from '../authn/user.ts';
import type { RequestInfo } from '../request/request-info.ts';
import type { Store } from '../../storage/interface.ts';
import type { Action } from './action.ts';
import type { AdmissionHook } from './admission.ts';
import type { ResourceDefinition } from './resource.ts';

export interface Registry {
  store: Store;
  etcdPrefix: string;
  actions: Readonly<Record<string, Action>>;
  admission: Readonly<Record<string, AdmissionHook[]>>;
  /** Every schema component of every served resource. */
  schemas: Schemas;
  clock: () => Date;
  newUID: () => string;
  /** Finds a served resource by group, version and plural. */
  lookup(group: string, version: string, plural: string): ResourceDefinition | undefined;
  resources(): readonly ResourceDefinition[];
}

export interface RestRequest {
  req: IncomingMessage;
  res: ServerResponse;
  registry: Registry;
  def: ResourceDefinition;
  info: RequestInfo;
  /** '' for cluster-scoped resources and cross-namespace lists. */
  namespace: string;
  name: string;
  query: URLSearchParams;
  user: UserInfo;
  signal?: AbortSignal;
  /** Collected `Warning` header texts. */
  warnings: string[];
}
