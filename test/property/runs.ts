// Shared settings of the property tests: the number of generated cases per property is
// bounded so that test/property runs in seconds, and the seed is fixed so that the suite
// is reproducible. KAGG_PROPERTY_RUNS and KAGG_PROPERTY_SEED widen the search locally; a
// failure prints its seed and counterexample.
import fc from 'fast-check';

export const RUNS = Number(process.env.KAGG_PROPERTY_RUNS ?? 200);

fc.configureGlobal({ seed: Number(process.env.KAGG_PROPERTY_SEED ?? 20261128), interruptAfterTimeLimit: 20_000 });
