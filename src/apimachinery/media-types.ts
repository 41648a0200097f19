// Media types and header names the API speaks, in one place (kubectl.md §1, §2, §5).

export const MEDIA = {
  json: 'application/json',
  yaml: 'application/yaml',
  protobuf: 'application/vnd.kubernetes.protobuf',
  jsonPatch: 'application/json-patch+json',
  mergePatch: 'application/merge-patch+json',
  strategicMergePatch: 'application/strategic-merge-patch+json',
  applyPatch: 'application/apply-patch+yaml',
  openapiV2Protobuf: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
} as const;

export const PATCH_TYPES = [MEDIA.jsonPatch, MEDIA.mergePatch, MEDIA.strategicMergePatch, MEDIA.applyPatch] as const;
export type PatchType = (typeof PATCH_TYPES)[number];

export const DISCOVERY_GROUP = 'apidiscovery.k8s.io';

export interface MediaRange {
  type: string;
  params: Record<string, string>;
}

/** Splits one media type into its lower-cased type and parameters. */
export function parseMediaType(value: string): MediaRange {
  const [head, ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
  }
  return { type: head.trim().toLowerCase(), params };
}

/** Parses an Accept header into its ranges, in the order given (kubectl lists its preference first). */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header) return [];
  return header.split(',').map((s) => s.trim()).filter(Boolean).map(parseMediaType);
}
