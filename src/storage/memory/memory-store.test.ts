import { runStorageContract } from '../testing/contract.ts';
import { openMemoryStore } from './memory-store.ts';

runStorageContract(
  'memory',
  async () => {
    const store = await openMemoryStore({ progressIntervalMs: 200, compactionIntervalMs: 0 });
    return { store, cleanup: () => store.close() };
  },
  { progressWithinMs: 200 },
);
