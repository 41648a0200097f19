// Kubernetes API calls with the user's token (from the login link). Every call is an ordinary
// API request: kagg authenticates and authorizes it like any other.

const TOKEN_KEY = 'kagg-console-token';

/** Takes `#token=...` off the URL (into sessionStorage) so it is never shown, shared or logged. */
export function currentToken(): string | undefined {
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

export function takeToken(): string | undefined {
  const hash = location.hash;
  const m = /^#token=([^&]+)(?:&view=([a-z]+))?$/.exec(hash);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
    history.replaceState(null, '', `${location.pathname}#/${m[2] ?? 'aggregation'}`);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function headers(): HeadersInit {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
}

async function failure(res: Response): Promise<ApiError> {
  const text = await res.text();
  try {
    const status = JSON.parse(text) as { message?: string };
    return new ApiError(res.status, status.message ?? `${res.status} ${res.statusText}`);
  } catch {
    return new ApiError(res.status, `${res.status} ${text.slice(0, 200)}`);
  }
}

/** kagg removes Authorization after reading it; the doctor's calls back into kagg need the token again. */
export const CONSOLE_TOKEN_HEADER = 'x-kagg-console-token';

export async function apiGet<T>(path: string, signal?: AbortSignal, extra: Record<string, string> = {}): Promise<T> {
  const res = await fetch(path, { headers: { ...headers(), ...extra }, signal, cache: 'no-store' });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

export async function apiPost<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { method: 'POST', headers: { ...headers(), 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}

/** A GET that also reports how long it took (ms), for the request-path view. */
export async function timedGet(path: string, signal?: AbortSignal): Promise<{ status: number; ms: number; auditId?: string }> {
  const start = performance.now();
  const res = await fetch(path, { headers: headers(), signal, cache: 'no-store' });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - start, auditId: res.headers.get('audit-id') ?? undefined };
}

export interface WatchEvent<T> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

/** Streams `?watch=1` events (one JSON object a line) until the server ends it or `signal` aborts. */
export async function watch<T>(path: string, onEvent: (e: WatchEvent<T>) => void, signal: AbortSignal): Promise<void> {
  const sep = path.includes('?') ? '&' : '?';
  const res = await fetch(`${path}${sep}watch=1`, { headers: headers(), signal, cache: 'no-store' });
  if (!res.ok || !res.body) throw await failure(res);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (line) onEvent(JSON.parse(line) as WatchEvent<T>);
      nl = buffer.indexOf('\n');
    }
  }
}
