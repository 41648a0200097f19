// The per-APIService routing snapshot: immutable, built by the registration controller
// and replaced whole (STYLE 3.9). The proxy only reads it.
import type { ResolvedAddress } from './resolve.ts';
import type { BackendTransport } from './transport.ts';

export interface ServiceRef {
  readonly namespace: string;
  readonly name: string;
  readonly port: number;
}

export interface RouteSnapshot {
  readonly name: string;
  readonly group: string;
  readonly version: string;
  readonly local: boolean;
  /** The cached `Available` condition is True. */
  readonly available: boolean;
  readonly service?: ServiceRef;
  /** `<svc>.<ns>.svc`: SNI and hostname verification. */
  readonly serverName: string;
  /** The TLS transport, or why it could not be built (served as 500). */
  readonly transport: BackendTransport | Error;
  /** Resolves the backend address anew (endpoint routing may pick another pod). */
  readonly resolve: () => ResolvedAddress;
}

export function serverNameOf(ref: ServiceRef): string {
  return `${ref.name}.${ref.namespace}.svc`;
}

/** A copy forced to "available", used by the discovery fetch on update events (spec 3.6.3). */
export function forcedAvailable(s: RouteSnapshot): RouteSnapshot {
  return Object.freeze({ ...s, available: true });
}
