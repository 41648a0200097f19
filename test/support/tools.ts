// Integration tests need real tools (kubectl, cfssl, openssl, etcd). On a developer
// machine a missing tool skips the test with a message; under CI=true it is a failure.
import { spawnSync } from 'node:child_process';

const found = new Map<string, boolean>();

export function hasTool(name: string): boolean {
  let ok = found.get(name);
  if (ok === undefined) {
    ok = spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
    found.set(name, ok);
  }
  return ok;
}

/**
 * Options for `test(name, toolOptions('cfssl', 'openssl'), fn)`: `{}` when every tool is
 * present, `{ skip: reason }` on a developer machine otherwise. Under CI it throws, so a
 * missing tool fails the run instead of hiding the test.
 */
export function toolOptions(...names: string[]): { skip?: string } {
  const missing = names.filter((n) => !hasTool(n));
  if (missing.length === 0) return {};
  const reason = `missing tool(s): ${missing.join(', ')}`;
  if (process.env.CI === 'true') throw new Error(`${reason} (CI=true: integration tests may not skip)`);
  return { skip: reason };
}
