// kubeadm's default advertise address: the IPv4 address of the interface that carries the
// default route (/proc/net/route on Linux), else the first non-loopback IPv4 address.
import { readFileSync } from 'node:fs';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

export interface AdvertiseAddressSources {
  routeTable?: () => string | undefined;
  interfaces?: () => NodeJS.Dict<NetworkInterfaceInfo[]>;
}

function readRouteTable(): string | undefined {
  try {
    return readFileSync('/proc/net/route', 'utf8');
  } catch {
    return undefined;
  }
}

/** The interface name of the default route in a /proc/net/route text, if any. */
export function defaultRouteInterface(table: string): string | undefined {
  for (const line of table.split('\n').slice(1)) {
    const [iface, destination, , , , , , mask] = line.trim().split(/\s+/);
    if (destination === '00000000' && mask === '00000000' && iface) return iface;
  }
  return undefined;
}

export function defaultAdvertiseAddress(sources: AdvertiseAddressSources = {}): string {
  const table = (sources.routeTable ?? readRouteTable)();
  const ifaces = (sources.interfaces ?? networkInterfaces)();
  const ipv4 = (list: NetworkInterfaceInfo[] | undefined) => list?.find((a) => a.family === 'IPv4' && !a.internal)?.address;
  const routed = table ? defaultRouteInterface(table) : undefined;
  const fromRoute = routed ? ipv4(ifaces[routed]) : undefined;
  if (fromRoute) return fromRoute;
  for (const list of Object.values(ifaces)) {
    const address = ipv4(list);
    if (address) return address;
  }
  throw new Error('cannot find a default advertise address: no non-loopback IPv4 interface; pass --advertise-address');
}
