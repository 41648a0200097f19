// Errors of the PKI library: one class, a closed set of codes (the union a caller switches
// on), and a message meant for a human. The CLI adds the file name.

export const PKI_ERROR_CODES = {
  KEY_TOO_WEAK: 'RSA key is too weak',
  KEY_TOO_LARGE: 'RSA key size too large',
  INVALID_CURVE: 'invalid curve',
  INVALID_ALGORITHM: 'invalid algorithm',
  INVALID_PEM: 'no PEM block of the expected type',
  INVALID_KEY: 'the private key cannot be parsed',
  INVALID_CERTIFICATE: 'the certificate cannot be parsed',
  INVALID_CSR: 'the certificate request cannot be parsed',
  BAD_CSR_SIGNATURE: 'the certificate request signature does not verify',
  KEY_MISMATCH: 'the private key does not match the certificate',
  INVALID_HOST: 'a host is neither an IP address, a DNS name, an e-mail address nor a URI',
  MISSING_SUBJECT: 'missing subject information',
  INVALID_DURATION: 'invalid duration',
  INVALID_REQUEST: 'invalid request',
  INVALID_CONFIG: 'invalid configuration',
  UNKNOWN_PROFILE: 'unknown signing profile',
  NO_KEY_USAGE: 'Invalid policy: no key usage available',
} as const;

export type PkiErrorCode = keyof typeof PKI_ERROR_CODES;

export class PkiError extends Error {
  override readonly name = 'PkiError';
  constructor(readonly code: PkiErrorCode, message: string = PKI_ERROR_CODES[code], options?: ErrorOptions) {
    super(message, options);
  }
}
