// The built browser app (src/console/assets, made by `npm run build:console`), read once into
// memory and served with a strict Content-Security-Policy. Only files that exist in the build
// are served; a path never reaches the file system.
import { readdir, readFile } from 'node:fs/promises';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONSOLE_ASSETS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'assets');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

export interface StaticAsset {
  body: Buffer;
  contentType: string;
  /** Hashed file names never change; index.html must be re-read. */
  immutable: boolean;
}

/** URL path below the console root (`index.html`, `static/index-abc.js`) → file. */
export type AssetTable = ReadonlyMap<string, StaticAsset>;

async function listFiles(dir: string, depth = 0): Promise<string[]> {
  if (depth > 4) return [];
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full, depth + 1)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** Loads the built app; a missing build is an error naming the directory and the fix. */
export async function loadAssets(dir: string = CONSOLE_ASSETS_DIR): Promise<AssetTable> {
  let files: string[];
  try {
    files = await listFiles(dir);
  } catch (err) {
    throw new Error(`console assets ${dir}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)}); run npm run build:console`, { cause: err });
  }
  const table = new Map<string, StaticAsset>();
  for (const file of files) {
    const type = CONTENT_TYPES[extname(file)];
    if (!type) continue;
    const key = relative(dir, file).split(sep).join('/');
    table.set(key, { body: await readFile(file), contentType: type, immutable: key.startsWith('static/') });
  }
  if (!table.has('index.html')) throw new Error(`console assets ${dir}: no index.html; run npm run build:console`);
  return table;
}
