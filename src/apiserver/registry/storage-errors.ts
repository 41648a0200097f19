// Storage errors become API Status errors here, and only here
// (k8s.io/apiserver pkg/storage/errors/storage.go).
import { alreadyExists, conflict, expired, notFound, serviceUnavailable, timeout, internal, type GroupResource, type StatusError } from '../../apimachinery/status.ts';
import { isStorageError } from '../../storage/errors.ts';

export const CONFLICT_MESSAGE = 'the object has been modified; please apply your changes to the latest version and try again';

/** Maps a StorageError; any other error is returned unchanged. */
export function interpretStorageError(err: unknown, gr: GroupResource, name: string): unknown {
  if (!isStorageError(err)) return err;
  const mapped: StatusError = (() => {
    switch (err.code) {
      case 'NotFound':
        return notFound(gr, name);
      case 'AlreadyExists':
        return alreadyExists(gr, name);
      case 'Conflict':
        return conflict(gr, name, CONFLICT_MESSAGE);
      case 'TooOld':
        return expired(err.message);
      case 'Unavailable':
        return serviceUnavailable(err.message);
      case 'Timeout':
        return timeout(err.message, 1);
      case 'InvalidObject':
        return internal(err.message, err);
    }
  })();
  return mapped;
}
