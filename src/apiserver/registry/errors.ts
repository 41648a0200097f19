// Registry-level Status errors not in apimachinery/status.ts.
import { StatusError } from '../../apimachinery/status.ts';

export function notAcceptable(): StatusError {
  return new StatusError('NotAcceptable', 'the server was unable to respond with a content type that the client supports');
}

export function routeNotFound(): StatusError {
  return new StatusError('NotFound', 'the server could not find the requested resource', {});
}
