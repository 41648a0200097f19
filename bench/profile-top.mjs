// Summarizes a .cpuprofile by self time over the non-idle samples: the share of kagg's own
// code, of each npm package, of Node's internals and of native frames (writes through TLS,
// GC), then the top N functions. Usage: node bench/profile-top.mjs FILE [N]
import { readFileSync } from 'node:fs';

const [file, n = '25'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));

function groupOf(url, fn) {
  if (url.includes('/node_modules/.cache/kagg-cli/') || url.includes('/src/') || url.includes('/bench/')) return 'kagg (src, bundle)';
  if (url.includes('node_modules/')) return `npm ${url.split('node_modules/').pop().split('/')[0]}`;
  if (url.startsWith('node:')) return 'node internals (JS)';
  return `native ${fn || '(anonymous)'}`;
}

const self = new Map();
const groups = new Map();
let total = 0;
for (const id of profile.samples) {
  const f = byId.get(id).callFrame;
  if (f.functionName === '(idle)') continue;
  total++;
  const url = f.url.replace(/^.*\/node_modules\/\.cache\/kagg-cli\/[^/]+\//, 'kagg-bundle/').replace(/^.*\/(node_modules|src|bench)\//, '$1/');
  const key = `${f.functionName || '(anonymous)'} ${url}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + 1);
  const g = groupOf(f.url, f.functionName);
  groups.set(g, (groups.get(g) ?? 0) + 1);
}
const pct = (c) => `${((100 * c) / total).toFixed(1).padStart(5)}%`;
console.log(`${total} non-idle samples`);
for (const [g, c] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`${pct(c)}  ${g}`);
console.log('--- top functions (self time)');
for (const [key, c] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(n))) console.log(`${pct(c)}  ${key}`);
