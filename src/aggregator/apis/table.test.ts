import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration } from './human-duration.ts';
import { apiServiceTableCells } from './table.ts';
import type { APIService } from './types.ts';

test('humanDuration', () => {
  const s = 1000;
  const cases: Array<[number, string]> = [
    [-3 * s, '<invalid>'], [-1500, '0s'], [0, '0s'], [119 * s, '119s'], [120 * s, '2m'], [125 * s, '2m5s'],
    [10 * 60 * s, '10m'], [179 * 60 * s, '179m'], [3 * 3600 * s, '3h'], [3 * 3600 * s + 60 * s, '3h1m'], [8 * 3600 * s, '8h'],
    [47 * 3600 * s, '47h'], [48 * 3600 * s, '2d'], [50 * 3600 * s, '2d2h'], [9 * 86400 * s, '9d'], [729 * 86400 * s, '729d'],
    [730 * 86400 * s, '2y'], [731 * 86400 * s, '2y1d'], [3000 * 86400 * s, '8y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, String(ms));
});

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
  const noTs = mk(null);
  delete noTs.metadata.creationTimestamp;
  assert.equal(apiServiceTableCells(noTs, now)[3], '<unknown>');
});
