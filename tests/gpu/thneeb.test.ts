import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/core/config';
import { CpuEngine } from '../../src/core/cpuEngine';
import { makeRun, trainEnsemble } from '../../src/core/runs';
import { countClasses } from '../../src/core/stats';
import { defaultKnobs, findPreset } from '../../src/core/tasks';
import { gpuEngine } from '../helpers/gpu';

const preset = findPreset('thneeb')!;
const thneebRun = (config: Partial<RunConfig>, knobs: Record<string, number> = {}) => {
  const task = preset.build({ ...defaultKnobs(preset), ...knobs });
  return makeRun({ ...DEFAULT_CONFIG, ...preset.defaults, knobs: task.params as Record<string, number>, ...config }, task);
};

function shares(result: { classes: string[]; outcomes: Uint8Array }): Record<string, number> {
  const counts = countClasses(result.outcomes, result.classes.length);
  return Object.fromEntries(result.classes.map((c, i) => [c, counts[i] / result.outcomes.length]));
}

describe('thneeb preset', () => {
  it('GPU and CPU engines give the same outcome for at least 99% of particles with the same seeds', async () => {
    const run = thneebRun({ particles: 256, steps: 600 });
    const gpu = await trainEnsemble(await gpuEngine(), run);
    const cpu = await trainEnsemble(new CpuEngine(), run);
    let same = 0;
    for (let i = 0; i < gpu.outcomes.length; i++) if (gpu.outcomes[i] === cpu.outcomes[i]) same++;
    const gpuShares = JSON.stringify(shares(gpu));
    expect(same / gpu.outcomes.length, `agreement; gpu ${gpuShares}, cpu ${JSON.stringify(shares(cpu))}`).toBeGreaterThanOrEqual(0.99);
  });

  it('at default settings, over 1024 seeds, colour and shape each win at least 10%', async () => {
    const result = await trainEnsemble(await gpuEngine(), thneebRun({ particles: 1024 }));
    const s = shares(result);
    expect(s.colour, JSON.stringify(s)).toBeGreaterThanOrEqual(0.1);
    expect(s.shape, JSON.stringify(s)).toBeGreaterThanOrEqual(0.1);
  });

  it('raising salience raises the colour share monotonically', async () => {
    const saliences = [0.75, 0.875, 1, 1.125, 1.25];
    const colour: number[] = [];
    for (const salience of saliences) {
      const result = await trainEnsemble(await gpuEngine(), thneebRun({ particles: 128 }, { salience }));
      colour.push(shares(result).colour);
    }
    for (let k = 1; k < colour.length; k++)
      expect(colour[k], `colour share by salience ${saliences} = ${colour}`).toBeGreaterThanOrEqual(colour[k - 1]);
    expect(colour[colour.length - 1] - colour[0], `colour share by salience ${saliences} = ${colour}`).toBeGreaterThanOrEqual(0.5);
  });
});
