// Reading and writing the files of a cert dir: optional reads, kubeadm's modes, atomic writes.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/atomic-write.ts';
import { FILE_MODES } from './cert-list.ts';
import { CertTreeError } from './errors.ts';

/** The file's text, or undefined when it does not exist. Other errors (EACCES…) name the file. */
export async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CertTreeError(`${path}: cannot be read: ${(err as Error).message}`, { cause: err });
  }
}

export type FileKind = keyof typeof FILE_MODES;

/** Writes `data` atomically with kubeadm's mode for `kind`, creating directories 0755. */
export function writeTreeFile(certDir: string, relative: string, data: string, kind: Exclude<FileKind, 'directory'>): Promise<void> {
  return writeFileAtomic(join(certDir, relative), data, { mode: FILE_MODES[kind], dirMode: FILE_MODES.directory });
}
