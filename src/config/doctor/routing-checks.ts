// Aggregator routing advice (D05/D06 from flags): which network path kube-apiserver needs
// to reach backends, given --enable-aggregator-routing.
import { APISERVER_FLAGS, type ApiserverFlags } from '../flags.ts';
import type { Check } from './types.ts';

export const routingChecks: Check = {
  name: 'aggregator routing',
  ids: ['D06'],
  needs: ['flags'],
  run(ctx) {
    const flags = ctx.flags as ApiserverFlags;
    const endpoint = flags.bool(APISERVER_FLAGS.enableAggregatorRouting) === true;
    return [
      endpoint
        ? {
            id: 'D06', severity: 'info', subject: APISERVER_FLAGS.enableAggregatorRouting,
            summary: `${APISERVER_FLAGS.enableAggregatorRouting}=true: kube-apiserver dials backend pod IPs (endpoint routing)`,
            why: 'the control-plane host must route to pod IPs (CNI on, or routes to, that host); otherwise FailedDiscoveryCheck … connect: no route to host / i/o timeout. ExternalName Services are refused in this mode',
            fix: 'make sure the control-plane node runs the CNI (or has routes to the pod network); if it cannot, remove the flag so kube-apiserver uses the Service ClusterIP through kube-proxy',
          }
        : {
            id: 'D06', severity: 'info', subject: APISERVER_FLAGS.enableAggregatorRouting,
            summary: `${APISERVER_FLAGS.enableAggregatorRouting} is ${flags.has(APISERVER_FLAGS.enableAggregatorRouting) ? 'false' : 'not set'}: kube-apiserver dials Service ClusterIPs (cluster routing)`,
            why: 'the control-plane host must route Service VIPs (kube-proxy or an equivalent running on that host); without it FailedDiscoveryCheck … Client.Timeout exceeded / no route to host. Headless Services cannot be used in this mode',
            fix: `run kube-proxy on the control-plane nodes, or set ${APISERVER_FLAGS.enableAggregatorRouting}=true if they can reach pod IPs (\`kagg apiserver enable-aggregation … --enable-aggregator-routing\`)`,
          },
    ];
  },
};
