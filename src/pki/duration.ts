// Durations in Go's time.ParseDuration syntax (`87600h`, `1h30m`, `1.5h`, `-1h`), the
// only syntax cfssl accepts for `expiry` and `backdate`. Values are milliseconds.
import { PkiError } from './errors.ts';

const UNIT_MS = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
} as const;

export const HOUR_MS = UNIT_MS.h;
export const MINUTE_MS = UNIT_MS.m;

/** cfssl defaults: leaf policy 8760h, `-initca` without `ca.expiry` 43800h, backdate 5m. */
export const CFSSL_DEFAULT_EXPIRY_MS = 8760 * HOUR_MS;
export const CFSSL_DEFAULT_CA_EXPIRY_MS = 43800 * HOUR_MS;
export const CFSSL_DEFAULT_BACKDATE_MS = 5 * MINUTE_MS;

/** Parses like Go, with Go's error texts (`time: unknown unit "d" in duration "1d"`). */
export function parseGoDuration(text: string): number {
  const fail = (what: string): never => {
    throw new PkiError('INVALID_DURATION', `time: ${what}`);
  };
  const quoted = JSON.stringify(text);
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') fail(`invalid duration ${quoted}`);
  let total = 0;
  while (s !== '') {
    const num = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    if (num[0] === '' || num[0] === '.') fail(`invalid duration ${quoted}`);
    s = s.slice(num[0].length);
    const unit = /^[^\d.]*/.exec(s)![0];
    if (unit === '') fail(`missing unit in duration ${quoted}`);
    if (!Object.hasOwn(UNIT_MS, unit)) fail(`unknown unit ${JSON.stringify(unit)} in duration ${quoted}`);
    s = s.slice(unit.length);
    const value = Number(`${num[1] || '0'}.${num[2] || '0'}`);
    total += value * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return sign * total;
}

/** Go's Duration.String for whole milliseconds: `87600h0m0s`, `1h30m0s`, `1.5s`, `0s`. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let rest = Math.abs(ms);
  if (rest < 1000) return `${neg ? '-' : ''}${rest}ms`;
  const h = Math.floor(rest / HOUR_MS);
  rest -= h * HOUR_MS;
  const m = Math.floor(rest / MINUTE_MS);
  rest -= m * MINUTE_MS;
  const s = rest / 1000;
  let out = `${s}s`;
  if (h > 0 || m > 0) out = `${m}m${out}`;
  if (h > 0) out = `${h}h${out}`;
  return `${neg ? '-' : ''}${out}`;
}
