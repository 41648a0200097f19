// The console's URL paths and response headers, in one place.

/** Where the browser app is served (the built index.html). */
export const CONSOLE_ROOT = '/console/';
/** Built JS and CSS under the console root. */
export const CONSOLE_STATIC_PREFIX = '/console/static/';
/** Read-only certificate data from kagg's --cert-dir (RBAC nonResourceURL). */
export const CONSOLE_CERTIFICATES_PATH = '/console/api/certificates';
/** The online doctor run with the caller's token (RBAC nonResourceURL). */
export const CONSOLE_DOCTOR_PATH = '/console/api/doctor';

/**
 * No inline script or style, nothing from elsewhere: the app's own files and API calls only.
 * frame-ancestors keeps the page (and the token it holds) out of other sites' frames.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every console response carries. */
export const CONSOLE_SECURITY_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
} as const;
