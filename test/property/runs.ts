// Shared settings of the property tests: the number of generated cases per property is
// bounded so that test/property runs in seconds, and the seed is fixed so that the suite
// is reproducible. KAGG_PROPERTY_RUNS and KAGG_PROPERTY_SEED widen the search locally; a
// failure prints its seed and counterexample. Each file reports how many inputs it tried
// as a `figures {...}` line (read by test/soak/reliability-report.ts).
import { after } from 'node:test';
import fc from 'fast-check';

export const RUNS = Number(process.env.KAGG_PROPERTY_RUNS ?? 200);

let inputs = 0;

fc.configureGlobal({
  seed: Number(process.env.KAGG_PROPERTY_SEED ?? 20261128),
  interruptAfterTimeLimit: 20_000,
  // Same outcome as the default reporter (throw on failure), counting the runs on the way.
  reporter(details) {
    inputs += details.numRuns;
    if (details.failed) throw new Error(fc.defaultReportMessage(details), { cause: details.errorInstance });
  },
});

after(() => {
  process.stdout.write(`figures ${JSON.stringify({ propertyInputs: inputs })}\n`);
});
