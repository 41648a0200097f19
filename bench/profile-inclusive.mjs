// Inclusive (self + callees) share of the non-idle samples of a .cpuprofile, per function:
// node bench/profile-inclusive.mjs FILE [N]
import { readFileSync } from 'node:fs';
const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map(); for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const counts = new Map(); for (const s of p.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
const incl = new Map(); let total = 0;
for (const [id, c] of counts) { const f = byId.get(id).callFrame; if (['(idle)','(program)'].includes(f.functionName)) continue; total += c;
  const seen = new Set(); for (let cur = id; cur !== undefined; cur = parent.get(cur)) { const cf = byId.get(cur).callFrame; const k = `${cf.functionName||'(anon)'} ${cf.url.replace(/^.*\/(node_modules|src)\//,'$1/')}`; if (seen.has(k)) continue; seen.add(k); incl.set(k,(incl.get(k)??0)+c);} }
for (const [k,c] of [...incl].sort((a,b)=>b[1]-a[1]).slice(0,Number(process.argv[3]??40))) console.log(`${(100*c/total).toFixed(1).padStart(5)}% ${k}`);
