// Write semantics of apiservices and apiservices/status (kube-aggregator
// pkg/registry/apiservice/strategy.go, spec 1.5). Pure: the registry calls these hooks.
import { rfc3339, setAPIServiceCondition } from './conditions.ts';
import { defaultAPIService } from './defaults.ts';
import { AVAILABLE, AVAILABLE_REASONS, LOCAL_AVAILABLE_MESSAGE, isLocal, type APIService } from './types.ts';

/** Create: client status discarded; Local APIServices start Available=True/Local. */
export function prepareForCreate(svc: APIService, now: Date = new Date()): APIService {
  defaultAPIService(svc);
  let out: APIService = { ...svc, status: {} };
  if (isLocal(out)) {
    out = setAPIServiceCondition(out, {
      type: AVAILABLE,
      status: 'True',
      lastTransitionTime: rfc3339(now),
      reason: AVAILABLE_REASONS.Local,
      message: LOCAL_AVAILABLE_MESSAGE,
    });
  }
  return out;
}

/** Update of the main resource: status comes from the stored object. */
export function prepareForUpdate(next: APIService, old: APIService): APIService {
  defaultAPIService(next);
  return { ...next, status: old.status ?? {} };
}

const STATUS_PRESERVED_META = ['labels', 'annotations', 'finalizers', 'ownerReferences'] as const;

/** Update of /status: spec and the listed metadata come from the stored object. */
export function prepareForStatusUpdate(next: APIService, old: APIService): APIService {
  const metadata = { ...next.metadata };
  for (const k of STATUS_PRESERVED_META) {
    if (old.metadata[k] === undefined) delete metadata[k];
    else (metadata as Record<string, unknown>)[k] = old.metadata[k];
  }
  return { ...next, metadata, spec: old.spec };
}

/** Fields server-side apply resets, per endpoint. */
export const RESET_FIELDS = { main: ['status'], status: ['spec', 'metadata'] } as const;
