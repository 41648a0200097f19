// Builds the authenticator chain from `kagg serve` options, in kube-apiserver's order:
// requestheader, x509 client certs, token file, service-account tokens; then the group
// adder and anonymous (pkg/kubeapiserver/authenticator/config.go).
import { readFile } from 'node:fs/promises';
import type { RequestHeaderOptions } from '../options.ts';
import type { Authenticator, TokenAuthenticator } from './authenticator.ts';
import { createBearerAuthenticator, createWebSocketBearerAuthenticator } from './bearer.ts';
import { parseCertPool, type CertPool } from './cert-pool.ts';
import { parsePublicKeys, parseSigningKey, type VerifyKey } from './jwt.ts';
import { createRequestHeaderAuthenticator, type RequestHeaderConfig } from './request-header.ts';
import { createServiceAccountAuthenticator, type ObjectLookup, type ServiceAccountSigner } from './service-account.ts';
import { createTokenFileAuthenticator, parseTokenFile } from './token-file.ts';
import { createRequestAuthenticator, unionAuthenticator, type RequestAuthenticator } from './union.ts';
import { createX509Authenticator } from './x509.ts';

export interface AuthenticationOptions {
  clientCAFile?: string;
  tokenAuthFile?: string;
  serviceAccountKeyFiles: readonly string[];
  serviceAccountSigningKeyFile?: string;
  serviceAccountIssuers: readonly string[];
  serviceAccountLookup: boolean;
  apiAudiences: readonly string[];
  anonymousAuth: boolean;
  requestHeader?: RequestHeaderOptions;
}

/** The current PEM of a CA file. */
export type CASource = () => string;
/**
 * Reads a CA file for a flag. The default reads it once; `kagg serve` passes a loader that
 * follows the file (kube-apiserver's dynamic client CA), so rotations need no restart.
 */
export type CALoader = (file: string, flag: string) => Promise<CASource>;

export interface Authentication {
  authenticate: RequestAuthenticator;
  /** The bearer-token authenticators, for TokenReview. */
  tokens: TokenAuthenticator[];
  /** PEM bundles to advertise in the TLS CertificateRequest (current contents). */
  readonly clientCAs: string[];
  requestHeader?: RequestHeaderConfig;
  /** --client-ca-file and --requestheader-client-ca-file contents (current), for publishing. */
  readonly clientCAPem?: string;
  readonly requestHeaderCAPem?: string;
  signer?: ServiceAccountSigner;
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`${what} ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

const readOnce: CALoader = async (file, flag) => {
  const pem = await readText(file, flag);
  parseCertPool(pem, file);
  return () => pem;
};

/** A pool that follows its source, parsed again only when the PEM changed. */
function poolOf(source: CASource, file: string): () => CertPool {
  let pem = '';
  let pool: CertPool = [];
  return () => {
    const now = source();
    if (now !== pem) {
      pool = parseCertPool(now, file);
      pem = now;
    }
    return pool;
  };
}

export async function loadAuthentication(options: AuthenticationOptions, deps: { lookup?: ObjectLookup; now?: () => Date; loadCA?: CALoader } = {}): Promise<Authentication> {
  const loadCA = deps.loadCA ?? readOnce;
  const chain: Authenticator[] = [];
  let requestHeader: RequestHeaderConfig | undefined;
  let requestHeaderCA: CASource | undefined;
  let clientCA: CASource | undefined;

  if (options.requestHeader) {
    requestHeaderCA = await loadCA(options.requestHeader.clientCAFile, '--requestheader-client-ca-file');
    requestHeader = { ...options.requestHeader, pool: poolOf(requestHeaderCA, options.requestHeader.clientCAFile), now: deps.now };
    chain.push(createRequestHeaderAuthenticator(requestHeader));
  }
  if (options.clientCAFile) {
    clientCA = await loadCA(options.clientCAFile, '--client-ca-file');
    chain.push(createX509Authenticator({ pool: poolOf(clientCA, options.clientCAFile), now: deps.now }));
  }

  const tokens: TokenAuthenticator[] = [];
  if (options.tokenAuthFile) {
    tokens.push(createTokenFileAuthenticator(parseTokenFile(await readText(options.tokenAuthFile, '--token-auth-file'), options.tokenAuthFile)));
  }
  const keys: VerifyKey[] = [];
  for (const f of options.serviceAccountKeyFiles) keys.push(...parsePublicKeys(await readText(f, '--service-account-key-file'), f));
  if (keys.length > 0) {
    tokens.push(createServiceAccountAuthenticator({
      keys,
      issuers: options.serviceAccountIssuers,
      audiences: options.apiAudiences,
      lookup: options.serviceAccountLookup ? deps.lookup : undefined,
      now: deps.now,
    }));
  }
  if (tokens.length > 0) chain.push(createBearerAuthenticator(tokens), createWebSocketBearerAuthenticator(tokens));

  let signer: ServiceAccountSigner | undefined;
  if (options.serviceAccountSigningKeyFile) {
    if (options.serviceAccountIssuers.length === 0) throw new Error('--service-account-signing-key-file requires --service-account-issuer');
    const key = parseSigningKey(await readText(options.serviceAccountSigningKeyFile, '--service-account-signing-key-file'));
    signer = { issuer: options.serviceAccountIssuers[0], ...key };
  }

  return {
    authenticate: createRequestAuthenticator(unionAuthenticator(...chain), { anonymous: options.anonymousAuth }),
    tokens,
    get clientCAs() {
      return [requestHeaderCA?.(), clientCA?.()].filter((p): p is string => p !== undefined);
    },
    requestHeader,
    get clientCAPem() {
      return clientCA?.();
    },
    get requestHeaderCAPem() {
      return requestHeaderCA?.();
    },
    signer,
  };
}
