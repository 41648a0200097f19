// Certificates and CAs given by file, reloaded when the files change without a restart
// (apiserver pkg/server/dynamiccertificates: a file watch plus a check at least once a
// minute). A content that does not load (half-written pair, bad PEM) keeps the previous
// value. Used for the proxy client cert here; the serving half can use the same primitive
// for the serving cert, client CA and requestheader CA.
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

export interface Loaded<T> {
  value: T;
  /** Increments on every accepted change. */
  generation: number;
}

export interface FileWatch<T> {
  current(): Loaded<T>;
  /** Re-reads the files now (also runs on file events and every `intervalMs`). */
  check(): Promise<void>;
  close(): void;
}

export interface WatchOptions<T> {
  /** Called after a changed, valid content was accepted. */
  onChange?: (loaded: Loaded<T>) => void;
  onError?: (err: Error) => void;
  /** Periodic re-check, default 60 s. */
  intervalMs?: number;
  signal?: AbortSignal;
}

/**
 * Loads `paths` once (throws if the first load fails), then keeps `current()` up to date.
 * `parse` receives the file contents in order and throws when they are not usable.
 */
export async function watchFiles<T>(paths: readonly string[], parse: (contents: Buffer[]) => T, opts: WatchOptions<T> = {}): Promise<FileWatch<T>> {
  const read = () => Promise.all(paths.map((p) => readFile(p)));
  const digest = (contents: Buffer[]) => contents.reduce((h, c) => h.update(c).update('\0'), createHash('sha256')).digest('hex');
  const first = await read();
  let loaded: Loaded<T> = { value: parse(first), generation: 1 };
  let lastDigest = digest(first);
  let closed = false;
  let running: Promise<void> | undefined;

  async function checkOnce(): Promise<void> {
    let contents: Buffer[];
    try {
      contents = await read();
    } catch (err) {
      opts.onError?.(err as Error);
      return;
    }
    const d = digest(contents);
    if (d === lastDigest) return;
    let value: T;
    try {
      value = parse(contents);
    } catch (err) {
      opts.onError?.(err as Error);
      return;
    }
    lastDigest = d;
    loaded = { value, generation: loaded.generation + 1 };
    opts.onChange?.(loaded);
  }

  const check = (): Promise<void> => {
    if (closed) return Promise.resolve();
    running = (running ?? Promise.resolve()).then(checkOnce);
    return running;
  };

  // Watch the directories: atomic replacement (write + rename) breaks a watch on the file.
  const watchers: FSWatcher[] = [];
  let debounce: NodeJS.Timeout | undefined;
  const names = new Set(paths.map((p) => basename(p)));
  for (const dir of new Set(paths.map((p) => dirname(p)))) {
    try {
      const w = watch(dir, (_event, file) => {
        if (file && !names.has(String(file)) && !String(file).startsWith('..')) return;
        clearTimeout(debounce);
        debounce = setTimeout(() => void check(), 50);
      });
      w.on('error', (err) => opts.onError?.(err));
      watchers.push(w);
    } catch (err) {
      opts.onError?.(err as Error);
    }
  }
  const timer = setInterval(() => void check(), opts.intervalMs ?? 60_000);
  timer.unref();

  const close = () => {
    closed = true;
    clearInterval(timer);
    clearTimeout(debounce);
    for (const w of watchers) w.close();
  };
  opts.signal?.addEventListener('abort', close, { once: true });
  return { current: () => loaded, check, close };
}

export interface CertKeyPair {
  cert: Buffer;
  key: Buffer;
}

/** A certificate/key pair whose key matches the leaf (dynamiccertificates DynamicCertKeyPairContent). */
export function parseCertKeyPair([cert, key]: Buffer[]): CertKeyPair {
  const leaf = new X509Certificate(cert);
  const privateKey = createPrivateKey(key);
  if (!leaf.checkPrivateKey(privateKey)) throw new Error('tls: private key does not match public key');
  return { cert, key };
}

/** A PEM bundle with at least one certificate. */
export function parseCABundle([pem]: Buffer[]): Buffer {
  const blocks = pem.toString('utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new Error('data does not contain any valid RSA or ECDSA certificates');
  for (const b of blocks) new X509Certificate(b);
  return pem;
}

export function watchFilePair(certFile: string, keyFile: string, opts: WatchOptions<CertKeyPair> = {}): Promise<FileWatch<CertKeyPair>> {
  return watchFiles([certFile, keyFile], parseCertKeyPair, opts);
}

export function watchCABundle(file: string, opts: WatchOptions<Buffer> = {}): Promise<FileWatch<Buffer>> {
  return watchFiles([file], parseCABundle, opts);
}
