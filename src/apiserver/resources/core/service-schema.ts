// OpenAPI schemas of core/v1 Service and its parts.
import type { Schemas } from '../../../apimachinery/schema.ts';
import { arr, bool, int32, intOrString, kind, obj, ref, str, stringMap } from '../../openapi/dsl.ts';

const C = 'io.k8s.api.core.v1';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

export const SERVICE_SCHEMA = `${C}.Service`;

export const SERVICE_SCHEMAS: Schemas = {
  [SERVICE_SCHEMA]: kind(
    {
      spec: ref(`${C}.ServiceSpec`, 'Spec defines the behavior of a service. https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status', { default: {} }),
      status: ref(`${C}.ServiceStatus`, 'Most recently observed status of the service. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status', { default: {} }),
    },
    'Service is a named abstraction of software service (for example, mysql) consisting of local port (for example 3306) that the proxy listens on, and the selector that determines which pods will answer requests sent through the proxy.',
  ),
  [`${C}.ServiceSpec`]: obj(
    {
      allocateLoadBalancerNodePorts: bool('allocateLoadBalancerNodePorts defines if NodePorts will be automatically allocated for services with type LoadBalancer.'),
      clusterIP: str('clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName.'),
      clusterIPs: arr(str(), 'ClusterIPs is a list of IP addresses assigned to this service, and are usually assigned randomly.', { listType: 'atomic' }),
      externalIPs: arr(str(), 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.', { listType: 'atomic' }),
      externalName: str('externalName is the external reference that discovery mechanisms will return as an alias for this service (e.g. a DNS CNAME record). Must be a lowercase RFC-1123 hostname and requires `type` to be "ExternalName".'),
      externalTrafficPolicy: str('externalTrafficPolicy describes how nodes distribute service traffic they receive on one of the Service\'s "externally-facing" addresses.'),
      healthCheckNodePort: int32('healthCheckNodePort specifies the healthcheck nodePort for the service.'),
      internalTrafficPolicy: str('InternalTrafficPolicy describes how nodes distribute service traffic they receive on the ClusterIP.'),
      ipFamilies: arr(str(), 'IPFamilies is a list of IP families (e.g. IPv4, IPv6) assigned to this service.', { listType: 'atomic' }),
      ipFamilyPolicy: str('IPFamilyPolicy represents the dual-stack-ness requested or required by this Service.'),
      loadBalancerClass: str('loadBalancerClass is the class of the load balancer implementation this Service belongs to.'),
      loadBalancerIP: str('Only applies to Service Type: LoadBalancer. Deprecated.'),
      loadBalancerSourceRanges: arr(str(), 'If specified and supported by the platform, this will restrict traffic through the cloud-provider load-balancer will be restricted to the specified client IPs.', { listType: 'atomic' }),
      ports: arr(ref(`${C}.ServicePort`), 'The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies', { mergeKey: 'port', strategy: 'merge', listType: 'map', mapKeys: ['port', 'protocol'] }),
      publishNotReadyAddresses: bool('publishNotReadyAddresses indicates that any agent which deals with endpoints for this Service should disregard any indications of ready/not-ready.'),
      selector: { ...stringMap('Route service traffic to pods with label keys and values matching this selector.'), 'x-kubernetes-map-type': 'atomic' },
      sessionAffinity: str('Supports "ClientIP" and "None". Used to maintain session affinity.'),
      sessionAffinityConfig: obj({ clientIP: obj({ timeoutSeconds: int32('timeoutSeconds specifies the seconds of ClientIP type session sticky time.') }, 'clientIP contains the configurations of Client IP based session affinity.') }, 'sessionAffinityConfig contains the configurations of session affinity.'),
      trafficDistribution: str('TrafficDistribution offers a way to express preferences for how traffic is distributed to Service endpoints.'),
      type: str('type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.', { enum: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] }),
    },
    'ServiceSpec describes the attributes that a user creates on a service.',
  ),
  [`${C}.ServicePort`]: obj(
    {
      appProtocol: str('The application protocol for this port.'),
      name: str('The name of this port within the service. This must be a DNS_LABEL. All ports within a ServiceSpec must have unique names.'),
      nodePort: int32('The port on each node on which this service is exposed when type is NodePort or LoadBalancer.'),
      port: int32('The port that will be exposed by this service.'),
      protocol: str('The IP protocol for this port. Supports "TCP", "UDP", and "SCTP". Default is TCP.', { default: 'TCP', enum: ['SCTP', 'TCP', 'UDP'] }),
      targetPort: intOrString('Number or name of the port to access on the pods targeted by the service.'),
    },
    "ServicePort contains information on service's port.",
    ['port'],
  ),
  [`${C}.ServiceStatus`]: obj(
    {
      conditions: arr(ref(`${META}.Condition`), 'Current service state', { mergeKey: 'type', strategy: 'merge', listType: 'map', mapKeys: ['type'] }),
      loadBalancer: obj(
        {
          ingress: arr(
            obj({ hostname: str('Hostname is set for load-balancer ingress points that are DNS based.'), ip: str('IP is set for load-balancer ingress points that are IP based.'), ipMode: str('IPMode specifies how the load-balancer IP behaves.'), ports: arr(obj({ error: str(), port: int32(), protocol: str() }), 'Ports is a list of records of service ports.', { listType: 'atomic' }) }, 'LoadBalancerIngress represents the status of a load-balancer ingress point.'),
            'Ingress is a list containing ingress points for the load-balancer.',
            { listType: 'atomic' },
          ),
        },
        'LoadBalancer contains the current status of the load-balancer, if one is present.',
      ),
    },
    'ServiceStatus represents the current status of a service.',
  ),
};
