// Golden files: compared byte for byte; UPDATE_GOLDEN=1 rewrites them (review every diff).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../../util/atomic-write.ts';

/** `dir` is the testdata folder as a URL, e.g. `new URL('./testdata/', import.meta.url)`. */
export async function assertGolden(dir: URL, name: string, actual: string): Promise<void> {
  const path = fileURLToPath(new URL(name, dir));
  if (process.env.UPDATE_GOLDEN === '1') {
    await writeFileAtomic(path, actual);
    return;
  }
  let expected: string;
  try {
    expected = readFileSync(path, 'utf8');
  } catch {
    assert.fail(`golden file ${path} missing; run with UPDATE_GOLDEN=1 and review it`);
  }
  assert.equal(actual, expected, `differs from golden ${name}`);
}
