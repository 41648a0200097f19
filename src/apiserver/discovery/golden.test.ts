// Golden files for the discovery documents kubectl reads (aggregated /api and /apis, legacy
// /api/v1): compared byte for byte; UPDATE_GOLDEN=1 rewrites them — review every diff.
import { test } from 'node:test';
import { assertGolden } from '../registry/testing/golden.ts';
import { startTestServer } from '../registry/testing/test-server.ts';

const DISC = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

const TESTDATA = new URL('./testdata/', import.meta.url);

test('discovery documents match their golden files', async (t) => {
  const action = async (ctx: { body: Record<string, unknown> }) => ctx.body;
  const s = await startTestServer({
    actions: {
      'authentication.k8s.io/v1/selfsubjectreviews': action,
      'authentication.k8s.io/v1/tokenreviews': action,
      'authorization.k8s.io/v1/subjectaccessreviews': action,
      'authorization.k8s.io/v1/selfsubjectaccessreviews': action,
      'authorization.k8s.io/v1/selfsubjectrulesreviews': action,
      'v1/serviceaccounts/token': action,
    },
  });
  t.after(() => s.close());
  const cases: Array<[string, string, string]> = [
    ['api-aggregated.json', '/api', DISC],
    ['apis-aggregated.json', '/apis', DISC],
    ['api-v1.json', '/api/v1', 'application/json'],
    ['apis-legacy.json', '/apis', 'application/json'],
  ];
  for (const [name, path, accept] of cases) {
    const res = await fetch(`${s.url}${path}`, { headers: { Accept: accept } });
    await assertGolden(TESTDATA, name, `${JSON.stringify(await res.json(), null, 2)}\n`);
  }
});
