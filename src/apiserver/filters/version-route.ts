// /version and /version/: major "1", minor "32" so the kubectl dispatcher runs kubectl 1.32
// (kubectl.md §0.1, §9).
import type { ServerResponse } from 'node:http';

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-kagg',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-28T00:00:00Z',
  goVersion: `node${process.versions.node}`,
  compiler: 'tsx',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
} as const;

export const VERSION_PATHS = new Set(['/version', '/version/']);

export function serveVersion(res: ServerResponse): void {
  const body = JSON.stringify(SERVER_VERSION, null, 2);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
