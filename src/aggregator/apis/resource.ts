// apiregistration.k8s.io/v1 apiservices as a resource of the generic registry
// (kube-aggregator pkg/registry/apiservice): pass it in `extraResources` of
// createAPIHandler. Strategy, validation and Table come from the pure modules beside it.
import type { ResourceDefinition } from '../../apiserver/registry/resource.ts';
import { arr, bool, bytes, dateTime, int32, kind, obj, str } from '../../apiserver/openapi/dsl.ts';
import type { StoredObject } from '../../storage/interface.ts';
import { rfc3339, setAPIServiceCondition } from './conditions.ts';
import { defaultAPIService } from './defaults.ts';
import { APISERVICE_TABLE_COLUMNS, apiServiceTableCells } from './table.ts';
import { APIREGISTRATION_GROUP, APIREGISTRATION_VERSION, AVAILABLE, AVAILABLE_REASONS, LOCAL_AVAILABLE_MESSAGE, isLocal, type APIService } from './types.ts';
import { validateAPIService, validateAPIServiceStatus } from './validation.ts';

const P = 'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1';
export const APISERVICE_SCHEMA = `${P}.APIService`;

const asAPIService = (o: StoredObject) => o as unknown as APIService;

export interface APIServiceResourceOptions {
  now?: () => Date;
}

export function apiServiceResource(options: APIServiceResourceOptions = {}): ResourceDefinition {
  const now = options.now ?? (() => new Date());
  return {
    group: APIREGISTRATION_GROUP,
    version: APIREGISTRATION_VERSION,
    kind: 'APIService',
    listKind: 'APIServiceList',
    plural: 'apiservices',
    singular: 'apiservice',
    namespaced: false,
    categories: ['api-extensions'],
    statusSubresource: true,
    nameValidation: 'path',
    schemaName: APISERVICE_SCHEMA,
    strategicMerge: false,
    schemas: {
      [APISERVICE_SCHEMA]: kind(
        {
          spec: { allOf: [{ $ref: `#/components/schemas/${P}.APIServiceSpec` }], default: {}, description: 'Spec contains information for locating and communicating with a server' },
          status: { allOf: [{ $ref: `#/components/schemas/${P}.APIServiceStatus` }], default: {}, description: 'Status contains derived information about an API server' },
        },
        'APIService represents a server for a particular GroupVersion. Name must be "version.group".',
      ),
      [`${P}.APIServiceSpec`]: obj(
        {
          caBundle: { ...bytes('CABundle is a PEM encoded CA bundle which will be used to validate an API server\'s serving certificate. If unspecified, system trust roots on the apiserver are used.'), 'x-kubernetes-list-type': 'atomic' },
          group: str('Group is the API group name this server hosts'),
          groupPriorityMinimum: int32('GroupPriorityMinimum is the priority this group should have at least. Higher priority means that the group is preferred by clients over lower priority ones.'),
          insecureSkipTLSVerify: bool('InsecureSkipTLSVerify disables TLS certificate verification when communicating with this server. This is strongly discouraged.  You should use the CABundle instead.'),
          service: { allOf: [{ $ref: `#/components/schemas/${P}.ServiceReference` }], description: 'Service is a reference to the service for this API server.  It must communicate on port 443. If the Service is nil, that means the handling for the API groupversion is handled locally on this server.' },
          version: str('Version is the API version this server hosts.  For example, "v1"'),
          versionPriority: int32('VersionPriority controls the ordering of this API version inside of its group.  Must be greater than zero.'),
        },
        'APIServiceSpec contains information for locating and communicating with a server. Only https is supported, though you are able to disable certificate verification.',
        ['groupPriorityMinimum', 'versionPriority'],
      ),
      [`${P}.ServiceReference`]: obj(
        { name: str('Name is the name of the service'), namespace: str('Namespace is the namespace of the service'), port: int32('If specified, the port on the service that hosting webhook. Default to 443 for backward compatibility. `port` should be a valid port number (1-65535, inclusive).') },
        'ServiceReference holds a reference to Service.legacy.k8s.io',
      ),
      [`${P}.APIServiceStatus`]: obj(
        { conditions: arr({ allOf: [{ $ref: `#/components/schemas/${P}.APIServiceCondition` }], default: {} }, 'Current service state of apiService.', { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] }) },
        'APIServiceStatus contains derived information about an API server',
      ),
      [`${P}.APIServiceCondition`]: obj(
        {
          lastTransitionTime: dateTime('Last time the condition transitioned from one status to another.'),
          message: str('Human-readable message indicating details about last transition.'),
          reason: str("Unique, one-word, CamelCase reason for the condition's last transition."),
          status: str('Status is the status of the condition. Can be True, False, Unknown.'),
          type: str('Type is the type of the condition.'),
        },
        'APIServiceCondition describes the state of an APIService at a particular point',
        ['type', 'status'],
      ),
    },
    strategy: {
      prepareForCreate(o) {
        const svc = defaultAPIService(asAPIService(o));
        svc.status = {};
        if (isLocal(svc)) {
          const withLocal = setAPIServiceCondition(svc, { type: AVAILABLE, status: 'True', lastTransitionTime: rfc3339(now()), reason: AVAILABLE_REASONS.Local, message: LOCAL_AVAILABLE_MESSAGE });
          svc.status = withLocal.status;
        }
      },
      prepareForUpdate(o) {
        defaultAPIService(asAPIService(o));
      },
      validate: (o) => validateAPIService(asAPIService(o), { genericNameChecked: true }),
      validateUpdate: (o) => [...validateAPIService(asAPIService(o), { genericNameChecked: true }), ...validateAPIServiceStatus(asAPIService(o))],
    },
    table: {
      columns: [...APISERVICE_TABLE_COLUMNS],
      cells: (o, at) => apiServiceTableCells(asAPIService(o), at),
    },
  };
}
