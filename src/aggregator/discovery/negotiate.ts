// Accept negotiation on GET /apis (apiserver aggregated/negotiation.go, spec 3.5.1–3.5.3):
// the first acceptable range wins; aggregated JSON for g=apidiscovery.k8s.io, v=v2 or
// v2beta1, as=APIGroupDiscoveryList; otherwise the legacy APIGroupList.
import { parseAccept } from '../../apimachinery/media-types.ts';

export type DiscoveryForm = { form: 'aggregated'; version: 'v2' | 'v2beta1' } | { form: 'legacy' };

const JSON_TYPES = new Set(['application/json', '*/*', 'application/*']);

export function negotiateDiscovery(accept: string | undefined, allowAggregated = true): DiscoveryForm {
  for (const r of parseAccept(accept)) {
    const { g, v, as } = r.params;
    if (g || v || as) {
      if (!allowAggregated || r.type !== 'application/json') continue;
      if (g === 'apidiscovery.k8s.io' && as === 'APIGroupDiscoveryList' && (v === 'v2' || v === 'v2beta1')) return { form: 'aggregated', version: v };
      continue;
    }
    if (JSON_TYPES.has(r.type)) return { form: 'legacy' };
  }
  return { form: 'legacy' };
}
