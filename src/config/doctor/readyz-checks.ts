// Online: kube-apiserver readiness (D34) and aggregated discovery freshness (D15).
import type { ClusterState } from './cluster-state.ts';
import type { Check, Finding } from './types.ts';

export const readyzChecks: Check = {
  name: 'readiness and discovery',
  ids: ['D15', 'D34'],
  needs: ['online'],
  run(ctx) {
    const cluster = ctx.cluster as ClusterState;
    const out: Finding[] = [];
    if (cluster.readyz.ok) {
      const line = cluster.readyz.value.body.split('\n').find((l) => /^\[-\]autoregister-completion\b/.test(l));
      if (line) {
        out.push({ id: 'D34', severity: 'warning', subject: '/readyz', summary: `kube-apiserver /readyz: ${line.trim()}`, why: 'auto-registered local APIServices have not all been seen Available yet (normal for a minute after start); until then kube-apiserver is not ready and load balancers keep it out', fix: 'wait a minute; if it persists, check the APIServices above and the kube-apiserver log (apiservice-registration-controller)' });
      }
    }
    if (cluster.discovery.ok) {
      for (const group of cluster.discovery.value.items ?? []) {
        for (const v of group.versions ?? []) {
          if (v.freshness === 'Stale') {
            const gv = `${group.metadata?.name ? `${group.metadata.name}/` : ''}${v.version}`;
            out.push({ id: 'D15', severity: 'error', subject: `/apis ${gv}`, summary: `aggregated discovery reports ${gv} as Stale`, why: `kube-apiserver could not fetch the backend's discovery; clients print "stale GroupVersion discovery: ${gv}" and may miss its resources`, fix: `make the backend's /apis reachable from kube-apiserver (see the APIService findings for ${gv})` });
          }
        }
      }
    }
    return out;
  },
};
