// Child process for the SQLite durability test: writes in a loop from several concurrent
// writers and prints one line per acknowledged write, `ack <revision> <key>`, until it
// is killed (or has written `max` objects).
//   node --import tsx test/support/storage-child.ts <db-path> <FULL|NORMAL> [max] [name]
// Keys are /registry/<name>/k<i> (name defaults to 'durability'). KAGG_START_FILE: wait for it.
import { existsSync } from 'node:fs';
import { openSqliteStore } from '../../src/storage/sqlite/sqlite-store.ts';

const [path, sync, maxArg, name = 'durability'] = process.argv.slice(2);
if (!path || (sync !== 'FULL' && sync !== 'NORMAL')) {
  process.stderr.write('usage: storage-child.ts <db-path> <FULL|NORMAL> [max] [name]\n');
  process.exitCode = 2;
} else {
  const max = Number(maxArg ?? 100_000);
  const store = await openSqliteStore({ path, synchronous: sync, compactionIntervalMs: 0 });
  let next = 0;
  const writer = async (): Promise<void> => {
    while (next < max) {
      const i = next++;
      const key = `/registry/${name}/k${i}`;
      const obj = await store.create(key, { metadata: { name: `k${i}` }, data: { i } });
      process.stdout.write(`ack ${obj.metadata.resourceVersion} ${key}\n`);
    }
  };
  process.stdout.write('ready\n');
  // With KAGG_START_FILE set, writing starts only once that file exists (several children
  // start together), waiting at most 30 s.
  const startFile = process.env.KAGG_START_FILE;
  for (let waited = 0; startFile && !existsSync(startFile) && waited < 30_000; waited += 10) {
    await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.all(Array.from({ length: 4 }, writer));
  await store.close();
  process.stdout.write('done\n');
}
