// Storage errors know nothing of HTTP; registry/storage-errors.ts maps them to Status.
// (k8s.io/apiserver pkg/storage/errors.go)

export const STORAGE_ERROR_CODES = ['NotFound', 'AlreadyExists', 'Conflict', 'TooOld', 'Unavailable', 'Timeout', 'InvalidObject'] as const;
export type StorageErrorCode = (typeof STORAGE_ERROR_CODES)[number];

export class StorageError extends Error {
  override readonly name = 'StorageError';

  constructor(
    readonly code: StorageErrorCode,
    readonly key: string,
    message: string,
    /** For TooOld: the oldest revision still available (the compaction revision). For Conflict: the current revision. */
    readonly revision = 0,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}

export const keyNotFound = (key: string, rev = 0) => new StorageError('NotFound', key, `key not found: ${key}`, rev);
export const keyExists = (key: string, rev = 0) => new StorageError('AlreadyExists', key, `key exists: ${key}`, rev);
export const conflict = (key: string, message: string, rev = 0) => new StorageError('Conflict', key, message, rev);
export const tooOld = (key: string, requested: number, compacted: number) =>
  new StorageError('TooOld', key, `too old resource version: ${requested} (${compacted})`, compacted);
export const unavailable = (key: string, message: string, cause?: unknown) => new StorageError('Unavailable', key, message, 0, { cause });
export const storageTimeout = (key: string, message: string) => new StorageError('Timeout', key, message);
