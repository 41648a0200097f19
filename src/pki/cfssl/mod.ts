// The cfssl 1.2-compatible layer over the PKI engine: cfssl's JSON inputs and outputs.
export { cfsslCertInfo, cfsslCertInfoJson, cfsslCsrInfoJson, formatKeyId, leafNamedLikeIssuer } from './certinfo.ts';
export { CFSSL_DEFAULT_KEY, cfsslSubject, keyLabel, parseCfsslCsrRequest, type CfsslCaSection, type CfsslCsrRequest, type CfsslName } from './csr-request.ts';
export { CFSSL_NO_HOSTS_WARNING, cfsslGencert, cfsslGenkey, cfsslInitCA, cfsslSign, type GencertOptions, type GencertResult, type GenkeyResult, type LogLevel, type LogLine, type SignResult } from './gencert.ts';
export { JsonSyntaxError, goField, goQuote, marshalGoJson, parseGoJson, type GoJsonValue, type JsonObject, type JsonValue } from './go-json.ts';
export { CFSSL_DEFAULT_CONFIG, CFSSL_DEFAULT_PROFILE, parseSigningConfig, selectProfile, type CaConstraint, type SigningConfig, type SigningProfile } from './signing-config.ts';
