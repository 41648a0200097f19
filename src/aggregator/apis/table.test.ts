import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiServiceTableCells } from './table.ts';
import type { APIService } from './types.ts';

test('table cells', () => {
  const now = new Date('2026-01-10T00:00:00Z');
  const mk = (service: APIService['spec']['service'], conditions?: NonNullable<APIService['status']>['conditions']): APIService => ({
    metadata: { name: 'v1alpha1.wardle.example.com', creationTimestamp: '2026-01-09T23:57:00Z' },
    spec: { service, group: 'wardle.example.com', version: 'v1alpha1', groupPriorityMinimum: 1, versionPriority: 1 },
    status: conditions ? { conditions } : undefined,
  });
  const cases: Array<[APIService, string[]]> = [
    [mk(null, [{ type: 'Available', status: 'True', reason: 'Local' }]), ['v1alpha1.wardle.example.com', 'Local', 'True', '3m']],
    [mk({ namespace: 'wardle', name: 'api', port: 443 }), ['v1alpha1.wardle.example.com', 'wardle/api', 'Unknown', '3m']],
    [mk({ namespace: 'wardle', name: 'api', port: 443 }, [{ type: 'Available', status: 'False', reason: 'FailedDiscoveryCheck' }]), ['v1alpha1.wardle.example.com', 'wardle/api', 'False (FailedDiscoveryCheck)', '3m']],
    [mk({ namespace: 'kube-system', name: 'm', port: 443 }, [{ type: 'Available', status: 'Unknown' }]), ['v1alpha1.wardle.example.com', 'kube-system/m', 'Unknown', '3m']],
  ];
  for (const [svc, want] of cases) assert.deepEqual(apiServiceTableCells(svc, now), want);
  const noTs: APIService = { ...mk(null), metadata: { name: 'v1.' } };
  assert.equal(apiServiceTableCells(noTs, now)[3], '<unknown>');
});
