// The CLI's precompiled bundle: `bin/kagg.mjs` runs src/cli/bin.ts from an esbuild bundle
// in node_modules/.cache/kagg-cli/ instead of compiling TypeScript through tsx on every
// start (tsx costs ~350 ms per run; `kagg certs init` with ECDSA keys takes ~160 ms in all).
//
// Never stale: the build records every file esbuild read (stat before the read, SHA-256 of
// the bytes it was given), plus this script, tsconfig.json, package.json and esbuild's own
// package.json. A start checks each one: the same size, mtime, ctime and inode means
// unchanged (git's index rule); otherwise the content hash decides, and so it does for a
// file whose times fall near the build's start (git's "racy" rule: a write in the same
// clock tick as the recorded stat leaves the times equal). Anything else — a
// changed or missing file, another checkout path, a build error, a build already running in
// another process, KAGG_NO_BUNDLE=1 — returns undefined and bin/kagg.mjs falls back to tsx.
//
// Each build lives in its own directory; a process marks the one it runs from (`.pid-PID`,
// removed at exit), and a new build removes old ones that no live process uses.
//
// npm packages stay imports of node_modules, except the pure-JS X.509 stack (bundled: its
// ~100 CommonJS files cost more to resolve and load one by one than to parse as one).
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SELF = fileURLToPath(import.meta.url);
const ENTRY = 'src/cli/bin.ts';
const FORMAT = 4;
/** Inputs changed this close before the build are always hash-checked (coarse file clocks). */
const RACY_MS = 2000;
const ROOT_INPUTS = ['tsconfig.json', 'package.json'];
const BUNDLED_PACKAGES = /^(@peculiar\/|asn1js$|pvtsutils$|pvutils$|tslib$|tsyringe$|reflect-metadata$|commander$)/;
const LOCK_STALE_MS = 2 * 60_000;
/** Old builds are removed once this old (by directory mtime) and no live process uses them. */
const KEEP_OLD_BUILDS_MS = 10 * 60_000;
const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.json': 'json' };
// Every chunk may hold bundled CommonJS that calls require() for node built-ins.
const BANNER = "import { createRequire as __kaggCreateRequire } from 'node:module'; const require = __kaggCreateRequire(import.meta.url);";

function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function statKey(st) {
  return { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino };
}

function paths(root) {
  const cacheDir = join(root, 'node_modules', '.cache', 'kagg-cli');
  return { cacheDir, manifest: join(cacheDir, 'manifest.json'), lock: join(cacheDir, 'build.lock') };
}

/** Records one input: its stat taken before the bytes were read, and the bytes' hash. */
function record(inputs, root, path, st, bytes) {
  inputs[relative(root, path)] = { ...statKey(st), sha256: sha256(bytes) };
}

function unchanged(root, rel, want, racyFromMs) {
  const path = join(root, rel);
  let st;
  try {
    st = statSync(path);
  } catch {
    return false;
  }
  const have = statKey(st);
  if (have.size !== want.size) return false;
  const racy = want.mtimeMs >= racyFromMs || want.ctimeMs >= racyFromMs;
  if (!racy && have.mtimeMs === want.mtimeMs && have.ctimeMs === want.ctimeMs && have.ino === want.ino) return true;
  try {
    return sha256(readFileSync(path)) === want.sha256;
  } catch {
    return false;
  }
}

/** The fresh bundle's entry file, or undefined when it is missing or any input changed. */
export function freshBundle(root = ROOT) {
  const { cacheDir, manifest: manifestPath } = paths(root);
  const manifest = readJson(manifestPath);
  if (!manifest || manifest.format !== FORMAT || manifest.root !== root || typeof manifest.entry !== 'string' || typeof manifest.startedAtMs !== 'number') return undefined;
  const racyFromMs = manifest.startedAtMs - RACY_MS;
  for (const [rel, want] of Object.entries(manifest.inputs ?? {})) if (!unchanged(root, rel, want, racyFromMs)) return undefined;
  const entry = join(cacheDir, manifest.entry);
  try {
    statSync(entry);
  } catch {
    return undefined;
  }
  return entry;
}

function takeLock(lockPath) {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      mkdirSync(lockPath);
      return true;
    } catch {
      try {
        if (Date.now() - statSync(lockPath).mtimeMs < LOCK_STALE_MS) return false;
        rmSync(lockPath, { recursive: true, force: true });
      } catch {}
    }
  }
  return false;
}

function esbuildPlugin(root, inputs) {
  return {
    name: 'kagg-inputs',
    setup(build) {
      // npm packages: imports of node_modules at run time, except the bundled X.509 stack.
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (isAbsolute(args.path) || BUNDLED_PACKAGES.test(packageName(args.path))) return undefined;
        return { path: args.path, external: true };
      });
      build.onLoad({ filter: /.*/, namespace: 'file' }, (args) => {
        const st = statSync(args.path);
        const bytes = readFileSync(args.path);
        record(inputs, root, args.path, st, bytes);
        let contents = bytes.toString('utf8');
        // Our modules find their files next to themselves: keep their own URL.
        if (!args.path.split(sep).includes('node_modules')) {
          const url = pathToFileURL(args.path).href;
          contents = contents
            .replaceAll('import.meta.url', JSON.stringify(url))
            .replaceAll('import.meta.filename', JSON.stringify(args.path))
            .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)));
        }
        return { contents, loader: LOADERS[extname(args.path)] ?? 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/**
 * A process running from a build leaves `.pid-PID` in it until it exits: a long-running
 * kagg still loads lazy chunks from its build after a newer one replaced it.
 */
function markInUse(buildDir) {
  const marker = join(buildDir, `.pid-${process.pid}`);
  try {
    writeFileSync(marker, '');
    process.once('exit', () => rmSync(marker, { force: true }));
  } catch {}
}

/** Removes builds other than `keep` that are older than `minAgeMs` and used by no live process. */
export function pruneOldBuilds(root = ROOT, keep = '', minAgeMs = KEEP_OLD_BUILDS_MS) {
  const { cacheDir } = paths(root);
  for (const name of readdirSync(cacheDir)) {
    if (!name.startsWith('build-') || name === keep) continue;
    const path = join(cacheDir, name);
    try {
      if (Date.now() - statSync(path).mtimeMs < minAgeMs) continue;
      const users = readdirSync(path).filter((f) => f.startsWith('.pid-')).map((f) => Number(f.slice(5)));
      if (!users.some((pid) => Number.isInteger(pid) && pid > 0 && alive(pid))) rmSync(path, { recursive: true, force: true });
    } catch {}
  }
}

/** Builds the bundle; its entry file, or undefined when it cannot be built now. */
export async function buildBundle(root = ROOT) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    return undefined;
  }
  const { cacheDir, manifest: manifestPath, lock } = paths(root);
  mkdirSync(cacheDir, { recursive: true });
  if (!takeLock(lock)) return undefined;
  let tmp;
  try {
    const startedAtMs = Date.now();
    const inputs = {};
    // The build's settings: this script, the TypeScript options, the packages, esbuild itself.
    const esbuildPackage = createRequire(import.meta.url).resolve('esbuild/package.json');
    for (const path of [SELF, esbuildPackage, ...ROOT_INPUTS.map((rel) => join(root, rel))]) {
      const st = statSync(path);
      record(inputs, root, path, st, readFileSync(path));
    }
    const name = `build-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    tmp = join(cacheDir, `tmp-${name}`);
    const result = await esbuild.build({
      entryPoints: { bin: join(root, ENTRY) },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outdir: tmp,
      outExtension: { '.js': '.mjs' },
      banner: { js: BANNER },
      tsconfig: join(root, 'tsconfig.json'),
      plugins: [esbuildPlugin(root, inputs)],
      logLevel: 'silent',
    });
    if (result.errors.length > 0) return undefined;
    renameSync(tmp, join(cacheDir, name));
    tmp = undefined;
    const manifest = { format: FORMAT, root, entry: join(name, 'bin.mjs'), startedAtMs, inputs };
    const tmpManifest = `${manifestPath}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(tmpManifest, `${JSON.stringify(manifest)}\n`);
    renameSync(tmpManifest, manifestPath);
    pruneOldBuilds(root, name);
    return join(cacheDir, manifest.entry);
  } catch {
    return undefined;
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The bundle's entry as a file URL, built first when needed; undefined: use tsx. */
export async function cliBundleUrl(env = process.env, root = ROOT) {
  if (env.KAGG_NO_BUNDLE === '1') return undefined;
  const entry = freshBundle(root) ?? (await buildBundle(root));
  if (entry === undefined) return undefined;
  markInUse(dirname(entry));
  return pathToFileURL(entry).href;
}
