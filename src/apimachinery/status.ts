// Kubernetes Status errors: the only error type that reaches the wire. Named
// constructors copy apimachinery's wording (pkg/api/errors/errors.go) because kubectl
// prints these messages and tests match them.

export const STATUS_REASONS = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  Expired: 410,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  Invalid: 422,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
} as const;

export type StatusReason = keyof typeof STATUS_REASONS;

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason | '';
  details?: StatusDetails;
  code: number;
}

/** A qualified resource, as in error messages: `configmaps`, `roles.rbac.authorization.k8s.io`. */
export interface GroupResource {
  group: string;
  resource: string;
}

function qualified(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

export class StatusError extends Error {
  override readonly name = 'StatusError';
  readonly status: Status;

  constructor(reason: StatusReason, message: string, details?: StatusDetails, code: number = STATUS_REASONS[reason], options?: ErrorOptions) {
    super(message, options);
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): StatusReason {
    return this.status.reason as StatusReason;
  }
}

export function isStatusError(err: unknown): err is StatusError {
  return err instanceof StatusError;
}

export function badRequest(message: string): StatusError {
  return new StatusError('BadRequest', message);
}

export function unauthorized(message = 'Unauthorized'): StatusError {
  return new StatusError('Unauthorized', message);
}

export function notFound(gr: GroupResource, name: string): StatusError {
  return new StatusError('NotFound', `${qualified(gr)} "${name}" not found`, { name, group: gr.group, kind: gr.resource });
}

export function alreadyExists(gr: GroupResource, name: string): StatusError {
  return new StatusError('AlreadyExists', `${qualified(gr)} "${name}" already exists`, { name, group: gr.group, kind: gr.resource });
}

export function conflict(gr: GroupResource, name: string, cause: string): StatusError {
  return new StatusError('Conflict', `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${cause}`, { name, group: gr.group, kind: gr.resource });
}

/** `forbidden(gr, name, reason)`: `User "x" cannot ...` style reasons are built by the authorizer. */
export function forbidden(gr: GroupResource, name: string, reason: string): StatusError {
  const what = name ? `${qualified(gr)} "${name}"` : qualified(gr);
  return new StatusError('Forbidden', `${what} is forbidden: ${reason}`, { name: name || undefined, group: gr.group, kind: gr.resource });
}

export interface FieldError {
  /** JSON-path-like field path, e.g. `metadata.name` or `spec.ports[0].port`. */
  path: string;
  /** Upstream `FieldValueRequired`, `FieldValueInvalid`, ... */
  type: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueDuplicate' | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTypeInvalid' | 'FieldValueNotFound' | 'InternalError';
  detail: string;
  value?: unknown;
}

const FIELD_ERROR_TEXT: Record<FieldError['type'], string> = {
  FieldValueRequired: 'Required value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTypeInvalid: 'Invalid value',
  FieldValueNotFound: 'Not found',
  InternalError: 'Internal error',
};

/** Renders one field error the way apimachinery's `field.Error.Error()` does. */
export function fieldErrorText(e: FieldError): string {
  const head = FIELD_ERROR_TEXT[e.type];
  if (e.type === 'FieldValueRequired' || e.type === 'FieldValueForbidden' || e.type === 'FieldValueTooLong' || e.value === undefined) {
    return `${e.path}: ${head}${e.detail ? `: ${e.detail}` : ''}`;
  }
  const v = typeof e.value === 'string' ? JSON.stringify(e.value) : String(JSON.stringify(e.value));
  return `${e.path}: ${head}: ${v}${e.detail ? `: ${e.detail}` : ''}`;
}

/** 422 Invalid built from every field error, like `errors.NewInvalid`. */
export function invalid(kind: { group: string; kind: string }, name: string, errs: FieldError[]): StatusError {
  const causes = errs.map((e) => ({ reason: e.type, message: fieldErrorText(e).slice(e.path.length + 2), field: e.path }));
  const texts = errs.map(fieldErrorText);
  const agg = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  const what = kind.group ? `${kind.kind}.${kind.group}` : kind.kind;
  return new StatusError('Invalid', `${what} "${name}" is invalid: ${agg}`, { name, group: kind.group, kind: kind.kind, causes });
}

export function methodNotSupported(gr: GroupResource, verb: string): StatusError {
  return new StatusError('MethodNotAllowed', `${verb} is not supported on resources of kind "${qualified(gr)}"`, { group: gr.group, kind: gr.resource });
}

export function unsupportedMediaType(contentType: string, accepted: string[]): StatusError {
  return new StatusError('UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`, { causes: [{ reason: 'UnsupportedMediaType', message: contentType }] });
}

export function requestEntityTooLarge(message = 'the request is too large'): StatusError {
  return new StatusError('RequestEntityTooLarge', message);
}

export function expired(message: string): StatusError {
  return new StatusError('Expired', message);
}

export function gone(message: string): StatusError {
  return new StatusError('Gone', message);
}

export function timeout(message: string, retryAfterSeconds = 0): StatusError {
  return new StatusError('Timeout', message, { retryAfterSeconds });
}

export function serviceUnavailable(message: string): StatusError {
  return new StatusError('ServiceUnavailable', message);
}

export function internal(message: string, cause?: unknown): StatusError {
  return new StatusError('InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] }, 500, { cause });
}

export function tooManyRequests(message: string, retryAfterSeconds = 1): StatusError {
  return new StatusError('TooManyRequests', message, { retryAfterSeconds });
}

/** A Status with `status: Success`, as DELETE of a resource without finalizers returns. */
export function successStatus(details?: StatusDetails): Status {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', ...(details ? { details } : {}), code: 200 };
}
