// The doctor's vocabulary: a finding (id, severity, what is wrong, why it breaks
// aggregation, the exact fix) and a check (a named function over the gathered inputs).
import type { X509Certificate, KeyObject } from 'node:crypto';
import type { APIService } from '../../aggregator/apis/types.ts';
import type { CertFileError } from '../cert-files.ts';
import type { ApiserverFlags } from '../flags.ts';
import type { PodMount } from '../manifest.ts';
import type { DiagnosticId } from './catalog.ts';
import type { ClusterState } from './cluster-state.ts';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_ORDER: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 };

export interface Finding {
  id: DiagnosticId;
  severity: Severity;
  /** What is wrong, naming the flag, file or object. */
  summary: string;
  /** Why it breaks (or endangers) aggregation. */
  why: string;
  /** The exact fix. */
  fix: string;
  /** The file, flag or object the finding is about. */
  subject?: string;
}

export type Loaded<T> = { ok: true; path: string; value: T } | { ok: false; path: string; error: CertFileError };

/** Everything a check may read. Absent parts mean the user did not give that input. */
export interface DoctorContext {
  now: Date;
  /** kube-apiserver flags (from --manifest / --flags-file). */
  flags?: ApiserverFlags;
  /** Where the flags came from, for messages. */
  flagsSource?: string;
  /** The files the flags name are on this host (false when the flags came from the live pod). */
  filesReadable: boolean;
  /** Static pod: the kube-apiserver container's mounts (flag paths are container paths). */
  mounts?: PodMount[];
  /** The host path to read for a path written in a flag. */
  hostPath(flagPath: string): string;
  certificates(flagPath: string): Promise<Loaded<X509Certificate[]>>;
  privateKey(flagPath: string): Promise<Loaded<KeyObject>>;
  /** APIService manifests given with --apiservice (for validation before apply). */
  apiServiceFiles?: Array<{ file: string; object: APIService }>;
  /** A snapshot of the live API server (with --kubeconfig). */
  cluster?: ClusterState;
}

/** `files`: the flags' files can be read here (local flags, not the live pod's). */
export type CheckInput = 'flags' | 'files' | 'online' | 'apiservice-files';

export interface Check {
  name: string;
  /** The ids this check can report. */
  ids: readonly DiagnosticId[];
  /** All of these must be present for the check to run. */
  needs: readonly CheckInput[];
  run(ctx: DoctorContext): Promise<Finding[]> | Finding[];
}
