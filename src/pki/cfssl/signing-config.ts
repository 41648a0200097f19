// cfssl's signing configuration (`-config`): signing.default plus named profiles, with the
// load-time checks cfssl makes and the built-in default used without a config file.
import { PkiError } from '../errors.ts';
import { CFSSL_DEFAULT_EXPIRY_MS, parseGoDuration } from '../duration.ts';
import { resolveCfsslUsages } from '../usages.ts';
import { goField, isJsonObject, parseGoJson, type JsonObject, type JsonValue } from './go-json.ts';

export interface CaConstraint {
  isCA: boolean;
  maxPathLen: number;
  maxPathLenZero: boolean;
}

export interface SigningProfile {
  usages: string[];
  /** The expiry text as written, and in ms (0 means "use the default profile's"). */
  expiry: string;
  expiryMs: number;
  backdateMs?: number;
  notBefore?: Date;
  notAfter?: Date;
  caConstraint?: CaConstraint;
}

export interface SigningConfig {
  default: SigningProfile;
  profiles: Record<string, SigningProfile>;
}

/** Without `-config`, and for a config file without `default`: 8760h and four usages (observed). */
export const CFSSL_DEFAULT_PROFILE: SigningProfile = Object.freeze({
  usages: ['signing', 'key encipherment', 'server auth', 'client auth'],
  expiry: '8760h',
  expiryMs: CFSSL_DEFAULT_EXPIRY_MS,
});

export const CFSSL_DEFAULT_CONFIG: SigningConfig = { default: CFSSL_DEFAULT_PROFILE, profiles: {} };

function invalid(message: string): never {
  throw new PkiError('INVALID_CONFIG', message);
}

function field<T>(o: JsonObject, key: string, path: string, check: (v: JsonValue) => v is JsonValue & T, want: string): T | undefined {
  const v = goField(o, key);
  if (v === undefined || v === null) return undefined;
  if (!check(v)) invalid(`field "${path}": expected ${want}`);
  return v as T;
}

const isString = (v: JsonValue): v is string => typeof v === 'string';
const isNumber = (v: JsonValue): v is number => typeof v === 'number';
const isBool = (v: JsonValue): v is boolean => typeof v === 'boolean';
const isStringArray = (v: JsonValue): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

function parseDate(text: string | undefined, path: string): Date | undefined {
  if (text === undefined || text === '') return undefined;
  const d = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(d.getTime())) invalid(`field "${path}": not an RFC 3339 time: ${JSON.stringify(text)}`);
  return d;
}

function parseProfile(o: JsonObject, path: string, named: boolean): SigningProfile {
  const usages = field<string[]>(o, 'usages', `${path}.usages`, isStringArray, 'an array of strings') ?? [];
  const expiry = field<string>(o, 'expiry', `${path}.expiry`, isString, 'a duration string') ?? '';
  if (expiry === '') invalid(`empty expiry string in ${path}`);
  const withPath = (fn: () => number, what: string): number => {
    try {
      return fn();
    } catch (err) {
      return invalid(`${path}.${what}: ${(err as Error).message}`);
    }
  };
  const expiryMs = withPath(() => parseGoDuration(expiry), 'expiry');
  if (named) {
    if (usages.length === 0) invalid(`invalid configuration: ${path} lists no usages`);
    const r = resolveCfsslUsages(usages);
    if (r.keyUsage.length === 0 && r.extKeyUsage.length === 0) invalid(`invalid configuration: ${path} has only unknown usages (${usages.map((u) => JSON.stringify(u)).join(', ')})`);
  }
  const backdate = field<string>(o, 'backdate', `${path}.backdate`, isString, 'a duration string');
  const profile: SigningProfile = { usages, expiry, expiryMs };
  if (backdate) profile.backdateMs = withPath(() => parseGoDuration(backdate), 'backdate');
  const notBefore = parseDate(field<string>(o, 'not_before', `${path}.not_before`, isString, 'a time string'), `${path}.not_before`);
  const notAfter = parseDate(field<string>(o, 'not_after', `${path}.not_after`, isString, 'a time string'), `${path}.not_after`);
  if (notBefore) profile.notBefore = notBefore;
  if (notAfter) profile.notAfter = notAfter;
  const cc = goField(o, 'ca_constraint');
  if (cc !== undefined && cc !== null) {
    if (!isJsonObject(cc)) invalid(`field "${path}.ca_constraint": expected an object`);
    const c = cc as JsonObject;
    profile.caConstraint = {
      isCA: field<boolean>(c, 'is_ca', `${path}.ca_constraint.is_ca`, isBool, 'true or false') ?? false,
      maxPathLen: field<number>(c, 'max_path_len', `${path}.ca_constraint.max_path_len`, isNumber, 'a number') ?? 0,
      maxPathLenZero: field<boolean>(c, 'max_path_len_zero', `${path}.ca_constraint.max_path_len_zero`, isBool, 'true or false') ?? false,
    };
  } else if (field<boolean>(o, 'is_ca', `${path}.is_ca`, isBool, 'true or false')) {
    profile.caConstraint = { isCA: true, maxPathLen: 0, maxPathLenZero: false }; // cfssl 1.2.0 release spelling
  }
  return profile;
}

/** Parses and validates a signing config. JsonSyntaxError for bad JSON, PkiError(INVALID_CONFIG) otherwise. */
export function parseSigningConfig(text: string): SigningConfig {
  const root = parseGoJson(text);
  if (!isJsonObject(root)) invalid('invalid configuration: the top level is not an object');
  const signing = goField(root as JsonObject, 'signing');
  if (!isJsonObject(signing)) invalid('invalid configuration: no "signing" section');
  const s = signing as JsonObject;
  const def = goField(s, 'default');
  if (def !== undefined && def !== null && !isJsonObject(def)) invalid('field "signing.default": expected an object');
  const config: SigningConfig = { default: isJsonObject(def) ? parseProfile(def, 'signing.default', false) : CFSSL_DEFAULT_PROFILE, profiles: {} };
  const profiles = goField(s, 'profiles');
  if (profiles !== undefined && profiles !== null) {
    if (!isJsonObject(profiles)) invalid('field "signing.profiles": expected an object');
    for (const [name, p] of Object.entries(profiles as JsonObject)) {
      if (!isJsonObject(p)) invalid(`field "signing.profiles.${name}": expected an object`);
      config.profiles[name] = parseProfile(p as JsonObject, `signing.profiles.${name}`, true);
    }
  }
  return config;
}

/**
 * The profile to sign with. Unlike cfssl, which silently falls back to `default` for an
 * unknown name, kagg refuses it and lists the names it knows. An expiry of 0 takes the
 * default profile's.
 */
export function selectProfile(config: SigningConfig, name: string | undefined): SigningProfile {
  if (name === undefined || name === '') return config.default;
  const profile = Object.hasOwn(config.profiles, name) ? config.profiles[name] : undefined;
  if (!profile) {
    const known = Object.keys(config.profiles);
    throw new PkiError('UNKNOWN_PROFILE', `unknown signing profile "${name}" (${known.length ? `profiles: ${known.join(', ')}` : 'the config has no profiles'})`);
  }
  return profile.expiryMs === 0 ? { ...profile, expiry: config.default.expiry, expiryMs: config.default.expiryMs } : profile;
}
