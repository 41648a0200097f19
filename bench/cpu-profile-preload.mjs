// Preloaded with NODE_OPTIONS="--import ./bench/cpu-profile-preload.mjs" (Node refuses
// --cpu-prof there): profiles the process with the inspector and writes a .cpuprofile into
// KAGG_BENCH_PROFILE_DIR when the process exits. Open it in Chrome DevTools or summarize it
// with bench/profile-top.mjs.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.KAGG_BENCH_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  process.once('exit', () => {
    session.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync(join(dir, `kagg-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
