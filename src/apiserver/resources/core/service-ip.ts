// ClusterIP allocation from the service range (10.96.0.0/12, kube-apiserver's default
// --service-cluster-ip-range): a requested address must be in range and free; otherwise
// the first free address from a uid-derived starting point. The set in use is read from
// storage on each create (no separate allocator state to keep in sync).
import { createHash } from 'node:crypto';
import { invalid } from '../../../apimachinery/status.ts';
import type { Store, StoredObject } from '../../../storage/interface.ts';
import { resourcePrefix } from '../../registry/keys.ts';

const BASE = (10 << 24) | (96 << 16);
const SIZE = 1 << 20;
export const SERVICE_CIDR = '10.96.0.0/12';

function toInt(ip: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

function toIP(n: number): string {
  return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join('.');
}

/** Offsets 0 (network) and 1 (the kubernetes service) are never handed out automatically. */
export function pickClusterIP(seed: string, used: ReadonlySet<string>): string | undefined {
  const start = createHash('sha256').update(seed).digest().readUInt32BE(0) % SIZE;
  for (let i = 0; i < SIZE; i++) {
    const off = (start + i) % SIZE;
    if (off < 2 || off === SIZE - 1) continue;
    const ip = toIP((BASE + off) >>> 0);
    if (!used.has(ip)) return ip;
  }
  return undefined;
}

export function inServiceRange(ip: string): boolean {
  const n = toInt(ip);
  return n !== undefined && n >>> 20 === BASE >>> 20;
}

export async function allocateClusterIP(obj: StoredObject, ctx: { store: Store; etcdPrefix: string }): Promise<void> {
  const spec = (obj.spec ?? {}) as { type?: string; clusterIP?: string; clusterIPs?: string[] };
  if (spec.type === 'ExternalName' || spec.clusterIP === 'None') return;
  const { items } = await ctx.store.list(resourcePrefix(ctx.etcdPrefix, { group: '', resource: 'services' }));
  const used = new Set(items.map((s) => ((s.spec ?? {}) as { clusterIP?: string }).clusterIP ?? '').filter(Boolean));
  const kind = { group: '', kind: 'Service' };
  const name = obj.metadata.name ?? '';
  if (spec.clusterIP) {
    const ip = spec.clusterIP;
    if (!inServiceRange(ip)) throw invalid(kind, name, [{ path: 'spec.clusterIPs', type: 'FieldValueInvalid', value: [ip], detail: `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}` }]);
    if (used.has(ip)) throw invalid(kind, name, [{ path: 'spec.clusterIPs', type: 'FieldValueInvalid', value: [ip], detail: `failed to allocate IP ${ip}: provided IP is already allocated` }]);
  } else {
    const ip = pickClusterIP(obj.metadata.uid ?? name, used);
    if (!ip) throw invalid(kind, name, [{ path: 'spec.clusterIPs', type: 'FieldValueInvalid', value: [], detail: `failed to allocate IP: range is full` }]);
    spec.clusterIP = ip;
  }
  spec.clusterIPs = [spec.clusterIP];
}
