import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NetworkInterfaceInfo } from 'node:os';
import { defaultAdvertiseAddress, defaultRouteInterface } from './advertise-address.ts';

const TABLE = [
  'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
  'eth1\t0010A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0',
  'eth0\t00000000\t0110A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0',
].join('\n');

function iface(address: string, internal = false): NetworkInterfaceInfo {
  return { address, family: 'IPv4', internal, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: `${address}/24` };
}

test('the default-route interface is found in /proc/net/route', () => {
  assert.equal(defaultRouteInterface(TABLE), 'eth0');
  assert.equal(defaultRouteInterface('Iface\tDestination\n'), undefined);
});

test('the advertise address is the default-route interface IPv4, else the first non-loopback one', () => {
  const interfaces = () => ({ lo: [iface('127.0.0.1', true)], eth1: [iface('192.168.16.5')], eth0: [iface('10.0.0.7')] });
  assert.equal(defaultAdvertiseAddress({ routeTable: () => TABLE, interfaces }), '10.0.0.7');
  assert.equal(defaultAdvertiseAddress({ routeTable: () => undefined, interfaces }), '192.168.16.5');
  assert.throws(() => defaultAdvertiseAddress({ routeTable: () => undefined, interfaces: () => ({ lo: [iface('127.0.0.1', true)] }) }), /pass --advertise-address/);
});
