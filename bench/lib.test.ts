// Run with: node --import tsx --test bench/lib.test.ts (bench/ is outside npm test's folders).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWrk, stats } from './lib.ts';

const WRK = `Running 10s test @ https://127.0.0.1:40000/apis
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.21ms    8.90ms 203.11ms   97.12%
    Req/Sec     4.10k   512.33     4.90k    80.00%
  Latency Distribution
     50%    2.74ms
     75%    3.50ms
     90%    5.10ms
     99%   95.20ms
  40812 requests in 10.02s, 20.11MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 7
Requests/sec:   4073.05
Transfer/sec:      2.01MB
`;

test('parseWrk reads requests, duration, percentiles and failures', () => {
  const r = parseWrk(WRK);
  assert.equal(r.requests, 40812);
  assert.equal(r.seconds, 10.02);
  assert.equal(r.p50ms, 2.74);
  assert.equal(r.p99ms, 95.2);
  assert.equal(r.non2xx, 7);
  assert.equal(r.errors, 3);
  assert.ok(Math.abs(r.rps - 40812 / 10.02) < 1e-9);
});

test('parseWrk converts µs and s latencies to ms', () => {
  const r = parseWrk(WRK.replace('2.74ms', '740.00us').replace('95.20ms', '1.50s'));
  assert.equal(r.p50ms, 0.74);
  assert.equal(r.p99ms, 1500);
});

test('stats gives the median of even and odd counts, min, max', () => {
  assert.deepEqual(stats([3, 1, 2]), { n: 3, median: 2, min: 1, max: 3, p99: 3 });
  assert.equal(stats([4, 1, 3, 2]).median, 2.5);
  assert.equal(stats([]).n, 0);
});
