// Prints the top self-time functions of a .cpuprofile: node bench/profile-top.mjs FILE [N]
import { readFileSync } from 'node:fs';

const [file, n = '25'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const self = new Map();
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const counts = new Map();
for (const s of profile.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
let total = 0;
for (const [id, c] of counts) {
  const node = byId.get(id);
  const f = node.callFrame;
  const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + c);
  total += c;
}
for (const [key, c] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(n))) console.log(`${((100 * c) / total).toFixed(1).padStart(5)}%  ${key}`);
