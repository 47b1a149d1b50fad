import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/core/config';
import { makeRun, trainEnsemble } from '../../src/core/runs';
import { countClasses } from '../../src/core/stats';
import { defaultKnobs, findPreset } from '../../src/core/tasks';
import { ensureDigitImages } from '../../src/node/nodeDigitImages';
import { gpuEngine } from '../helpers/gpu';

ensureDigitImages();
const preset = findPreset('digits')!;
const digitsRun = (config: Partial<RunConfig>, knobs: Record<string, number> = {}) => {
  const task = preset.build({ ...defaultKnobs(preset), ...knobs });
  return makeRun({ ...DEFAULT_CONFIG, ...preset.defaults, knobs: task.params as Record<string, number>, ...config }, task);
};

function shares(result: { classes: string[]; outcomes: Uint8Array }): Record<string, number> {
  const counts = countClasses(result.outcomes, result.classes.length);
  return Object.fromEntries(result.classes.map((c, i) => [c, counts[i] / result.outcomes.length]));
}

// At the defaults (half the images inverted, 50-4-1 ReLU, SGD lr 0.05) the seed decides whether a
// network reads the colour or the digit (docs/tasks.md, "Digits"): both hold a real share at salience 1,
// and raising salience moves the balance towards colour. ReLU nets of 4 units get stuck below the
// training threshold for some seeds (12–27% unconverged in the measured table), so that is not pinned.
describe('digits preset', () => {
  it('at the defaults colour and digit each hold at least 10% of the seeds; raising salience moves the balance to colour, monotonically', async () => {
    const saliences = [0.5, 1, 2];
    const rows: Record<string, number>[] = [];
    for (const salience of saliences)
      rows.push(shares(await trainEnsemble(await gpuEngine(), digitsRun({ particles: 256 }, { salience }))));
    const table = JSON.stringify(rows);
    for (let k = 1; k < rows.length; k++) {
      expect(rows[k].colour, `colour share by salience ${saliences}: ${table}`).toBeGreaterThanOrEqual(rows[k - 1].colour);
      expect(rows[k].digit, `digit share by salience ${saliences}: ${table}`).toBeLessThanOrEqual(rows[k - 1].digit);
    }
    // measured at 1024 seeds: digit 66% at 0.5; colour 16% and digit 21% at 1; colour 94.5% at 2
    expect(rows[0].digit, table).toBeGreaterThanOrEqual(0.5);
    expect(rows[1].colour, table).toBeGreaterThanOrEqual(0.1);
    expect(rows[1].digit, table).toBeGreaterThanOrEqual(0.1);
    expect(rows[2].colour, table).toBeGreaterThanOrEqual(0.9);
    for (const r of rows) expect(r.diverged, table).toBe(0);
  });
});
