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

export interface Authentication {
  authenticate: RequestAuthenticator;
  /** The bearer-token authenticators, for TokenReview. */
  tokens: TokenAuthenticator[];
  /** PEM bundles to advertise in the TLS CertificateRequest. */
  clientCAs: string[];
  requestHeader?: RequestHeaderConfig;
  /** --client-ca-file and --requestheader-client-ca-file contents, for publishing. */
  clientCAPem?: string;
  requestHeaderCAPem?: string;
  signer?: ServiceAccountSigner;
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`${what} ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

export async function loadAuthentication(options: AuthenticationOptions, deps: { lookup?: ObjectLookup; now?: () => Date } = {}): Promise<Authentication> {
  const chain: Authenticator[] = [];
  const clientCAs: string[] = [];
  let requestHeader: RequestHeaderConfig | undefined;
  let requestHeaderCAPem: string | undefined;
  let clientCAPem: string | undefined;

  if (options.requestHeader) {
    const pem = await readText(options.requestHeader.clientCAFile, '--requestheader-client-ca-file');
    const pool: CertPool = parseCertPool(pem, options.requestHeader.clientCAFile);
    clientCAs.push(pem);
    requestHeaderCAPem = pem;
    requestHeader = { ...options.requestHeader, pool, now: deps.now };
    chain.push(createRequestHeaderAuthenticator(requestHeader));
  }
  if (options.clientCAFile) {
    const pem = await readText(options.clientCAFile, '--client-ca-file');
    clientCAs.push(pem);
    clientCAPem = pem;
    chain.push(createX509Authenticator({ pool: parseCertPool(pem, options.clientCAFile), now: deps.now }));
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
    clientCAs,
    requestHeader,
    clientCAPem,
    requestHeaderCAPem,
    signer,
  };
}
