// The layout of `kagg up`'s state directory (default ./.kagg). Everything `up` creates
// lives here, so a second `up` reuses it and `down` finds what to stop.
import { join, resolve } from 'node:path';

export interface StateDir {
  root: string;
  pki: string;
  /** Serving cert and CA of the sample extension server (its APIService caBundle). */
  wardlePki: string;
  logs: string;
  data: string;
  adminKubeconfig: string;
  /** The sample server's credentials for delegated authn/authz against kagg. */
  wardleKubeconfig: string;
  /** PID of the foreground `kagg up` (written by it; `kagg down` signals it). */
  upPid: string;
  /** PIDs of every child process, one `name pid` per line, for `down` after a crash. */
  childPids: string;
  /** Written once everything is Available; removed on shutdown. */
  readyMarker: string;
}

export function stateDir(dir: string, cwd: string): StateDir {
  const root = resolve(cwd, dir);
  return {
    root,
    pki: join(root, 'pki'),
    wardlePki: join(root, 'wardle-pki'),
    logs: join(root, 'logs'),
    data: join(root, 'data'),
    adminKubeconfig: join(root, 'admin.conf'),
    wardleKubeconfig: join(root, 'wardle.conf'),
    upPid: join(root, 'up.pid'),
    childPids: join(root, 'children.pids'),
    readyMarker: join(root, 'ready'),
  };
}
