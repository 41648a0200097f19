// bin/kagg.mjs runs the CLI from a precompiled bundle only while it is fresh
// (scripts/cli-bundle.mjs): each case builds a tiny project in a temp dir, edits it, and
// checks whether the bundle is reused, rebuilt, or refused in favour of tsx.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { buildBundle, cliBundleUrl, freshBundle, pruneOldBuilds } from '../../scripts/cli-bundle.mjs';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

interface Described {
  value: string;
  url: string;
}

/** A project with src/cli/bin.ts exporting describe(): the value of value.ts and its own URL. */
function project(value = 'one'): string {
  const root = mkdtempSync(join(tmpdir(), 'kagg-bin-bundle-'));
  temps.push(root);
  mkdirSync(join(root, 'src', 'cli'), { recursive: true });
  writeFileSync(join(root, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(root, 'tsconfig.json'), '{"compilerOptions":{"target":"ES2022","verbatimModuleSyntax":true}}\n');
  writeFileSync(join(root, 'src', 'cli', 'value.ts'), `export const value: string = '${value}';\n`);
  writeFileSync(
    join(root, 'src', 'cli', 'bin.ts'),
    "import { value } from './value.ts';\nexport function describe(): { value: string; url: string } {\n  return { value, url: import.meta.url };\n}\n",
  );
  return root;
}

async function describeBundle(entry: string): Promise<Described> {
  const mod = (await import(pathToFileURL(entry).href)) as { describe(): Described };
  return mod.describe();
}

function setValue(root: string, value: string): void {
  const file = join(root, 'src', 'cli', 'value.ts');
  const { atime, mtime } = statSync(file);
  writeFileSync(file, `export const value: string = '${value}';\n`);
  utimesSync(file, atime, mtime); // same size and mtime: only ctime and the bytes tell
}

function cacheEntries(root: string): string[] {
  return readdirSync(join(root, 'node_modules', '.cache', 'kagg-cli'));
}

test('the bundle is built once, then reused while every input is unchanged', async () => {
  const root = project();
  const entry = await buildBundle(root);
  assert.ok(entry, 'built');
  assert.equal(freshBundle(root), entry);
  assert.equal(await cliBundleUrl({}, root), pathToFileURL(entry).href);
  const got = await describeBundle(entry);
  assert.equal(got.value, 'one');
  assert.equal(got.url, pathToFileURL(join(root, 'src', 'cli', 'bin.ts')).href, 'import.meta.url stays the source file');
});

test('an edit that keeps size and mtime makes the bundle stale; the next start rebuilds it', async () => {
  const root = project();
  const first = await buildBundle(root);
  assert.ok(first);
  setValue(root, 'two');
  assert.equal(freshBundle(root), undefined);
  const url = await cliBundleUrl({}, root);
  assert.ok(url);
  assert.notEqual(url, pathToFileURL(first).href);
  assert.equal((await describeBundle(fileURLToPath(url))).value, 'two');
});

test('touching an input without changing its bytes keeps the bundle', async () => {
  const root = project();
  const entry = await buildBundle(root);
  const file = join(root, 'src', 'cli', 'value.ts');
  utimesSync(file, new Date(), new Date(Date.now() + 60_000));
  assert.equal(freshBundle(root), entry);
});

test('a changed tsconfig.json or package.json makes the bundle stale', async () => {
  for (const name of ['tsconfig.json', 'package.json']) {
    const root = project();
    assert.ok(await buildBundle(root));
    writeFileSync(join(root, name), `${readFileSync(join(root, name), 'utf8')}\n`);
    assert.equal(freshBundle(root), undefined, name);
  }
});

test('a moved checkout does not use the bundle built for the old path', async () => {
  const root = project();
  assert.ok(await buildBundle(root));
  const moved = mkdtempSync(join(tmpdir(), 'kagg-bin-bundle-moved-'));
  temps.push(moved);
  cpSync(root, moved, { recursive: true, preserveTimestamps: true });
  assert.equal(freshBundle(moved), undefined);
});

test('a source that does not compile gives no bundle (tsx reports the error) and leaves no temp files', async () => {
  const root = project();
  assert.ok(await buildBundle(root));
  writeFileSync(join(root, 'src', 'cli', 'value.ts'), 'export const value: string = ;\n');
  assert.equal(await cliBundleUrl({}, root), undefined);
  assert.deepEqual(cacheEntries(root).filter((n) => n.startsWith('tmp-') || n === 'build.lock'), []);
});

test('a build running in another process, or KAGG_NO_BUNDLE=1, means tsx', async () => {
  const root = project();
  assert.ok(await buildBundle(root));
  assert.equal(await cliBundleUrl({ KAGG_NO_BUNDLE: '1' }, root), undefined);
  setValue(root, 'two');
  mkdirSync(join(root, 'node_modules', '.cache', 'kagg-cli', 'build.lock'));
  assert.equal(await cliBundleUrl({}, root), undefined);
});

test('an old build is removed only when no live process runs from it', async () => {
  const root = project();
  const url = await cliBundleUrl({}, root);
  assert.ok(url);
  const oldDir = dirname(fileURLToPath(url));
  assert.ok(readdirSync(oldDir).includes(`.pid-${process.pid}`), 'this process marked its build');
  setValue(root, 'two');
  const next = await buildBundle(root);
  assert.ok(next);
  pruneOldBuilds(root, basename(dirname(next)), 0);
  assert.ok(existsSync(oldDir), 'kept: this process still runs from it');
  rmSync(join(oldDir, `.pid-${process.pid}`));
  const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  writeFileSync(join(oldDir, `.pid-${exited.stdout}`), '');
  pruneOldBuilds(root, basename(dirname(next)), 0);
  assert.equal(existsSync(oldDir), false, 'removed: its only user has exited');
  assert.ok(existsSync(next), 'the current build stays');
});

test('npm packages stay imports of node_modules', async () => {
  const root = project();
  writeFileSync(join(root, 'src', 'cli', 'bin.ts'), "import { parse } from 'yaml';\nexport const parseYaml = parse;\n");
  const entry = await buildBundle(root);
  assert.ok(entry);
  assert.match(readFileSync(entry, 'utf8'), /from "yaml"/);
});

test('kagg --help prints the same from the bundle and from tsx', () => {
  const run = (env: Record<string, string>) => spawnSync(process.execPath, [join(REPO, 'bin', 'kagg.mjs'), '--help'], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  const bundled = run({});
  const viaTsx = run({ KAGG_NO_BUNDLE: '1' });
  assert.equal(bundled.status, 0, bundled.stderr);
  assert.equal(viaTsx.status, 0, viaTsx.stderr);
  assert.equal(bundled.stdout, viaTsx.stdout);
  assert.ok(freshBundle(), 'the repository bundle is fresh after a run');
});
