import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyCondition } from './apiservice-checks.ts';

test('classifyCondition maps the condition reason and message to the §9 row', () => {
  const url = 'https://172.21.13.79:443/apis/metrics.k8s.io/v1beta1';
  const CASES: Array<[string | undefined, string, string]> = [
    ['ServiceNotFound', 'service/x in "ns" is not present', 'D01'],
    ['ServicePortError', 'service/x in "ns" is not listening on port 443', 'D02'],
    ['EndpointsNotFound', 'cannot find endpoints for service/x in "ns"', 'D03'],
    ['MissingEndpoints', 'endpoints for service/x in "ns" have no addresses with port name "https"', 'D04'],
    ['FailedDiscoveryCheck', `failing or missing response from ${url}: Get ${url}: net/http: request canceled (Client.Timeout exceeded while awaiting headers)`, 'D05'],
    ['FailedDiscoveryCheck', `failing or missing response from ${url}: Get ${url}: context deadline exceeded`, 'D05'],
    ['FailedDiscoveryCheck', `failing or missing response from ${url}: Get ${url}: dial tcp 172.21.13.79:443: i/o timeout`, 'D05'],
    ['FailedDiscoveryCheck', 'Get https://10.1.1.1:443: dial tcp 10.1.1.1:443: connect: no route to host', 'D06'],
    ['FailedDiscoveryCheck', 'dial tcp 10.1.1.1:443: connect: connection refused', 'D07'],
    ['FailedDiscoveryCheck', `failing or missing response from ${url}: bad status from ${url}: 401`, 'D08'],
    ['FailedDiscoveryCheck', `failing or missing response from ${url}: bad status from ${url}: 403`, 'D09'],
    ['FailedDiscoveryCheck', `failing or missing response from ${url}: bad status from ${url}: 404`, 'D10'],
    ['FailedDiscoveryCheck', `failing or missing response from ${url}: bad status from ${url}: 500`, 'D11'],
    ['FailedDiscoveryCheck', 'x509: certificate is valid for foo, not api.wardle.svc', 'D12'],
    ['FailedDiscoveryCheck', 'x509: certificate relies on legacy Common Name field, use SANs instead', 'D12'],
    ['FailedDiscoveryCheck', 'cannot route to service with ClusterIP "None"', 'D27'],
    ['FailedDiscoveryCheck', 'unsupported service type "ExternalName"', 'D28'],
    ['FailedDiscoveryCheck', 'something new', 'D14'],
    ['ServiceAccessError', 'service/x in "ns" cannot be checked due to: boom', 'D14'],
    [undefined, '', 'D14'],
  ];
  for (const [reason, message, want] of CASES) assert.equal(classifyCondition(reason, message), want, `${reason}: ${message}`);
});
