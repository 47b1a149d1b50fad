// The LLC by outcome class from an `llc --out` (or `geometry --out`) result: each class's median and
// interquartile range, and every pair's difference of medians with its 95% bootstrap interval
// (src/core/maths/medianDifference.ts). Particles with an llcProblem are left out.
// Run: npx tsx scripts/llcByClass.ts result.json
import { readFileSync } from 'node:fs';
import { medianDifference } from '../src/core/maths/medianDifference';
import { quantiles } from '../src/core/stats';

const file = process.argv[2];
if (!file) {
  console.error('usage: npx tsx scripts/llcByClass.ts result.json');
  process.exit(2);
}
const json = JSON.parse(readFileSync(file, 'utf8')) as {
  classes: string[];
  particles: { outcome: string; llc: number | null; llcProblem?: string }[];
};
const by = new Map<string, number[]>();
for (const p of json.particles) {
  if (p.llcProblem !== undefined || p.llc === null) continue;
  by.set(p.outcome, [...(by.get(p.outcome) ?? []), p.llc]);
}
const problems = json.particles.filter((p) => p.llcProblem !== undefined).length;
const names = json.classes.filter((c) => by.has(c));
for (const c of names) {
  const [q1, med, q3] = quantiles(by.get(c)!, [0.25, 0.5, 0.75]);
  console.log(
    `${c.padEnd(12)} n ${String(by.get(c)!.length).padStart(4)}  median ${med.toFixed(3)}  IQR ${q1.toFixed(3)}–${q3.toFixed(3)}`,
  );
}
console.log(`${problems} particles with an llcProblem left out`);
for (let i = 0; i < names.length; i++)
  for (let j = i + 1; j < names.length; j++) {
    const d = medianDifference(by.get(names[i])!, by.get(names[j])!, 1);
    const interval = Number.isFinite(d.lo) ? `[${d.lo.toFixed(3)}, ${d.hi.toFixed(3)}]` : '[no interval: fewer than 5 in a class]';
    const verdict = !Number.isFinite(d.lo) ? '' : d.lo > 0 || d.hi < 0 ? '  separated' : '  not separated (the interval holds 0)';
    console.log(`${names[i]} − ${names[j]}: ${d.difference.toFixed(3)} ${interval}${verdict}`);
  }
