// Offline: APIService manifests validated before `kubectl apply` (D32), with the same rules
// and messages as the server (src/aggregator/apis/validation.ts).
import { fieldErrorText } from '../../apimachinery/status.ts';
import { defaultAPIService } from '../../aggregator/apis/defaults.ts';
import { validateAPIService } from '../../aggregator/apis/validation.ts';
import { parseCertificates } from '../cert-files.ts';
import type { Check, Finding } from './types.ts';

export const apiServiceManifestChecks: Check = {
  name: 'APIService manifests',
  ids: ['D13', 'D32'],
  needs: ['apiservice-files'],
  run(ctx) {
    const out: Finding[] = [];
    for (const { file, object } of ctx.apiServiceFiles ?? []) {
      const bundle = object.spec?.caBundle ? Buffer.from(object.spec.caBundle, 'base64').toString('utf8') : '';
      if (bundle && parseCertificates(bundle).length === 0) {
        out.push({ id: 'D13', severity: 'error', subject: file, summary: `${file}: APIService ${JSON.stringify(object.metadata?.name ?? '')} spec.caBundle is not a base64 PEM certificate bundle`, why: 'caBundle is not validated on write; once applied, every proxied request fails with HTTP 500 "unable to load root certificates"', fix: 'set spec.caBundle to the output of `base64 -w0 ca.crt` for the CA that signed the backend serving certificate' });
      }
      const errs = validateAPIService(defaultAPIService(object));
      if (errs.length === 0) continue;
      const name = object.metadata?.name ?? '';
      out.push({
        id: 'D32', severity: 'error', subject: file,
        summary: `${file}: APIService.apiregistration.k8s.io ${JSON.stringify(name)} is invalid: ${errs.length === 1 ? fieldErrorText(errs[0]) : `[${errs.map(fieldErrorText).join(', ')}]`}`,
        why: 'the API server rejects it with 422 Invalid, so the aggregated API is never registered',
        fix: 'correct the fields named above (metadata.name must be <version>.<group>; priorities 1–20000 / 1–1000; no caBundle with insecureSkipTLSVerify)',
      });
    }
    return out;
  },
};
