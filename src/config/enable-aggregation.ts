// `kagg apiserver enable-aggregation` as a library: check the cert dir (plan), compute the
// flag edits for a deployment file, render them as a unified diff, and write the result
// (backup first, atomic rename). Refusals leave the file untouched.
import { basename, dirname, join } from 'node:path';
import { readFile, stat } from 'node:fs/promises';
import { writeFileAtomic } from '../util/atomic-write.ts';
import type { ArgSource, DeploymentKind } from './arg-source.ts';
import { allowsExtKeyUsage, commonName, CertFileError, EKU_CLIENT_AUTH, issuerProblem, notAfter, notBefore, readCertificates, readPrivateKey } from './cert-files.ts';
import { unifiedDiff } from './diff.ts';
import { parseEnvFile } from './env-file.ts';
import { ConfigFileError } from './errors.ts';
import { aggregationFlagValues, APISERVER_FLAGS, applyArgEdits, CERT_LAYOUTS, planFlagEdits, type RequestheaderCa } from './flags.ts';
import { mountFor, parseManifest, staticPodMounts } from './manifest.ts';
import { parseSystemdUnit } from './systemd-unit.ts';

/** The certificates would not work: nothing is written. */
export class AggregationRefusedError extends Error {
  override readonly name = 'AggregationRefusedError';
}

export interface AggregationTarget {
  /** Where the cert files are read from. */
  certDir: string;
  /** The same directory as the API server sees it (written into flags). Default: certDir. */
  certPathPrefix?: string;
  requestheaderCa: RequestheaderCa;
  enableAggregatorRouting?: boolean;
  now?: Date;
}

export interface AggregationPlan {
  flags: Array<readonly [string, string]>;
  clientCn: string;
  /** Host paths of the three files checked. */
  files: { ca: string; cert: string; key: string };
}

/** Checks the requestheader CA, proxy client cert and key, and returns the flags to set. */
export async function planAggregation(target: AggregationTarget): Promise<AggregationPlan> {
  const layout = CERT_LAYOUTS[target.requestheaderCa];
  const files = { ca: join(target.certDir, layout.ca), cert: join(target.certDir, layout.cert), key: join(target.certDir, layout.key) };
  const now = target.now ?? new Date();
  try {
    const cas = await readCertificates(files.ca);
    const [client, ...intermediates] = await readCertificates(files.cert);
    const key = await readPrivateKey(files.key);
    const chain = issuerProblem(client, cas, intermediates);
    if (chain) throw new AggregationRefusedError(`${files.cert} is not signed by ${files.ca} (${chain}): backends would reject the proxy client certificate`);
    if (!client.checkPrivateKey(key)) throw new AggregationRefusedError(`${files.key} is not the key of ${files.cert}`);
    if (!allowsExtKeyUsage(client, EKU_CLIENT_AUTH)) throw new AggregationRefusedError(`${files.cert} lacks the clientAuth extended key usage`);
    if (now > notAfter(client) || now < notBefore(client)) throw new AggregationRefusedError(`${files.cert} is not valid now (valid ${client.validFrom} to ${client.validTo})`);
    const cn = commonName(client);
    if (!cn) throw new AggregationRefusedError(`${files.cert} has no subject CN to put into --requestheader-allowed-names`);
    const flags = aggregationFlagValues(target.certPathPrefix ?? target.certDir, target.requestheaderCa, cn);
    if (target.enableAggregatorRouting) flags.push([APISERVER_FLAGS.enableAggregatorRouting, 'true']);
    return { flags, clientCn: cn, files };
  } catch (err) {
    if (err instanceof CertFileError) throw new AggregationRefusedError(`${err.message} (needed for --requestheader-ca ${target.requestheaderCa})`, { cause: err });
    throw err;
  }
}

export interface ParseOptions {
  /** env files: the variable holding the flags. */
  envVariable?: string;
}

export function parseDeployment(kind: DeploymentKind, source: string, file: string, options: ParseOptions = {}): ArgSource {
  if (kind === 'manifest') return parseManifest(source, file);
  if (kind === 'systemd-unit') return parseSystemdUnit(source, file);
  return parseEnvFile(source, file, { variable: options.envVariable });
}

/** The file text with `flags` set; throws if the edit would not round-trip (never writes). */
export function editDeployment(kind: DeploymentKind, source: string, file: string, flags: ReadonlyArray<readonly [string, string]>, options: ParseOptions = {}): string {
  const parsed = parseDeployment(kind, source, file, options);
  const edits = planFlagEdits(parsed.args, flags);
  if (edits.length === 0) return source;
  const after = parsed.apply(edits);
  const expected = applyArgEdits(parsed.args, edits);
  const reparsed = parseDeployment(kind, after, file, options).args;
  if (reparsed.length !== expected.length || reparsed.some((a, i) => a !== expected[i])) {
    throw new ConfigFileError(file, 'internal: the edited file would not hold the intended arguments; nothing written');
  }
  return after;
}

export interface EnableAggregationOptions extends AggregationTarget, ParseOptions {
  dryRun?: boolean;
}

export interface EnableAggregationResult {
  changed: boolean;
  diff: string;
  plan: AggregationPlan;
  /** Written only when the file changed (and not on a dry run). */
  backup?: string;
  /** Things that will still stop aggregation from working (e.g. the cert dir is not mounted). */
  warnings: string[];
}

/** Static pods: the files the flags point to must be inside a mounted volume. */
export function mountWarnings(kind: DeploymentKind, source: string, file: string, flags: ReadonlyArray<readonly [string, string]>): string[] {
  if (kind !== 'manifest') return [];
  const mounts = staticPodMounts(source, file);
  return flags
    .filter(([, v]) => v.startsWith('/') && !mountFor(mounts, v))
    .map(([name, v]) => `${name}=${v} is not inside any volume mounted into the kube-apiserver container; add a hostPath volume and volumeMount for ${v.replace(/\/[^/]*$/, '')} or kube-apiserver will not start`);
}

/**
 * The backup path: `FILE.bak`, except for static-pod manifests, where the kubelet would
 * run a second pod from it; there it is hidden (`.FILE.bak`), which the kubelet skips.
 */
export function backupPath(kind: DeploymentKind, file: string): string {
  return kind === 'manifest' ? join(dirname(file), `.${basename(file)}.bak`) : `${file}.bak`;
}

export async function enableAggregation(kind: DeploymentKind, file: string, options: EnableAggregationOptions): Promise<EnableAggregationResult> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigFileError(file, `cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, undefined, { cause: err });
  }
  parseDeployment(kind, source, file, options); // a broken file is reported before the certs
  const plan = await planAggregation(options);
  const after = editDeployment(kind, source, file, plan.flags, options);
  const diff = unifiedDiff(source, after, { fromLabel: `a/${basename(file)}`, toLabel: `b/${basename(file)}` });
  const warnings = mountWarnings(kind, after, file, plan.flags);
  if (after === source || options.dryRun) return { changed: after !== source, diff, plan, warnings };
  const mode = (await stat(file)).mode & 0o7777;
  const backup = backupPath(kind, file);
  await writeFileAtomic(backup, source, { mode });
  await writeFileAtomic(file, after, { mode });
  return { changed: true, diff, plan, backup, warnings };
}
