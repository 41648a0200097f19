// Builds the DoctorContext: maps paths written in flags to files on this host (the cert dir
// as the API server sees it vs where the doctor reads it) and loads each file once.
import type { KeyObject, X509Certificate } from 'node:crypto';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { CertFileError, readCertificates, readPrivateKey } from '../cert-files.ts';
import { APISERVER_FLAGS, type ApiserverFlags } from '../flags.ts';
import { mountFor, type PodMount } from '../manifest.ts';
import type { DoctorContext, Loaded } from './types.ts';

export interface ContextOptions {
  now?: Date;
  flags?: ApiserverFlags;
  flagsSource?: string;
  /** The files the flags name are on this host. Default true. */
  filesReadable?: boolean;
  /** Static pod mounts: container paths in flags are read at their hostPath. */
  mounts?: PodMount[];
  /** Read certificate files from here instead of the directory the flags name. */
  certDir?: string;
  /** The directory in the flags that `certDir` stands for. Default: the directory of --client-ca-file (else --tls-cert-file, else --requestheader-client-ca-file). */
  certPathPrefix?: string;
  /** Relative flag paths resolve against this (default: process.cwd()). */
  cwd?: string;
  apiServiceFiles?: DoctorContext['apiServiceFiles'];
  cluster?: DoctorContext['cluster'];
}

export function createDoctorContext(options: ContextOptions): DoctorContext {
  const cwd = options.cwd ?? process.cwd();
  const given = options.certPathPrefix ?? defaultPrefix(options.flags);
  const prefix = options.certDir && given ? containerToHost(options.mounts, given) : undefined;
  const hostPath = (containerPath: string): string => {
    const flagPath = containerToHost(options.mounts, containerPath);
    if (options.certDir && prefix) {
      const rel = relative(prefix, flagPath);
      if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return join(options.certDir, rel);
    }
    return resolve(cwd, flagPath);
  };
  const certCache = new Map<string, Promise<Loaded<X509Certificate[]>>>();
  const keyCache = new Map<string, Promise<Loaded<KeyObject>>>();
  return {
    now: options.now ?? new Date(),
    flags: options.flags,
    flagsSource: options.flagsSource,
    filesReadable: options.filesReadable ?? true,
    mounts: options.mounts,
    apiServiceFiles: options.apiServiceFiles,
    cluster: options.cluster,
    hostPath,
    certificates: (flagPath) => cached(certCache, hostPath(flagPath), readCertificates),
    privateKey: (flagPath) => cached(keyCache, hostPath(flagPath), readPrivateKey),
  };
}

/** A container path under a hostPath mount, as a host path (unchanged when not mounted). */
function containerToHost(mounts: readonly PodMount[] | undefined, path: string): string {
  const m = mounts && isAbsolute(path) ? mountFor(mounts, path) : undefined;
  if (!m?.hostPath) return path;
  return join(m.hostPath, relative(m.mountPath, path));
}

function defaultPrefix(flags: ApiserverFlags | undefined): string | undefined {
  for (const name of [APISERVER_FLAGS.clientCaFile, APISERVER_FLAGS.tlsCertFile, '--requestheader-client-ca-file']) {
    const v = flags?.get(name);
    if (v) return v.replace(/\/[^/]*$/, '') || '/';
  }
  return undefined;
}

function cached<T>(cache: Map<string, Promise<Loaded<T>>>, path: string, load: (p: string) => Promise<T>): Promise<Loaded<T>> {
  let p = cache.get(path);
  if (!p) {
    p = load(path).then(
      (value): Loaded<T> => ({ ok: true, path, value }),
      (error: unknown): Loaded<T> => {
        if (error instanceof CertFileError) return { ok: false, path, error };
        throw error;
      },
    );
    cache.set(path, p);
  }
  return p;
}
