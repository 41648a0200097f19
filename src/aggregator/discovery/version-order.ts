// Kube-aware version order (apimachinery pkg/version/helpers.go CompareKubeAwareVersionStrings,
// spec 3.2). The one implementation used by /apis, /apis/<g>, aggregated discovery and OpenAPI.

const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;
const STABILITY = { alpha: 0, beta: 1, ga: 2 } as const;

interface Parsed {
  major: number;
  stability: number;
  minor: number;
}

function parse(v: string): Parsed | undefined {
  const m = KUBE_VERSION.exec(v);
  if (!m) return undefined;
  const kind = (m[2] ?? 'ga') as keyof typeof STABILITY;
  return { major: Number(m[1]), stability: STABILITY[kind], minor: m[3] === undefined ? 0 : Number(m[3]) };
}

/**
 * Positive when `a` sorts before `b` in preference order (a is "greater"), negative when
 * after, 0 when equal: kube-like first; GA > beta > alpha; higher major; higher minor;
 * non-kube-like by plain string order ascending.
 */
export function compareKubeAwareVersions(a: string, b: string): number {
  if (a === b) return 0;
  const pa = parse(a);
  const pb = parse(b);
  if (pa && !pb) return 1;
  if (!pa && pb) return -1;
  if (!pa || !pb) return a < b ? 1 : -1;
  if (pa.stability !== pb.stability) return pa.stability - pb.stability;
  if (pa.major !== pb.major) return pa.major - pb.major;
  return pa.minor - pb.minor;
}

/** Array.sort comparator: preferred version first. */
export function byKubeAwareVersion(a: string, b: string): number {
  return -compareKubeAwareVersions(a, b);
}
