import { describe, expect, it } from 'vitest';
import { corridor, CORRIDOR_DEFAULTS } from '../../../src/core/tasks/corridor';
import { testSeed } from '../helpers';
import { trainPreset } from './presetRun';
import { expectProbesDisagree, expectSameTask, expectWellFormed, row } from './shared';

const LEFT = 0;
const STAY = 1;
const RIGHT = 2;

/** Decodes the observation: one-hot agent cell, then one-hot coin cell. */
function decode(x: number[], L: number): { agent: number; coin: number } {
  const agentCells = x.slice(0, L);
  const coinCells = x.slice(L);
  const oneHot = (v: number[]) => v.every((c) => c === 0 || c === 1) && v.filter((c) => c === 1).length === 1;
  if (!oneHot(agentCells) || !oneHot(coinCells)) expect.fail(`not two one-hot blocks: ${x}`);
  return { agent: agentCells.indexOf(1), coin: coinCells.indexOf(1) };
}
const expert = (agent: number, coin: number) => (agent < coin ? RIGHT : agent === coin ? STAY : LEFT);
const moveRight = (agent: number, L: number) => (agent === L - 1 ? STAY : RIGHT);

describe('corridor (CoinRun-lite)', () => {
  it('shapes: 2·length inputs, 3 classes (left, stay, right), probes move-right and seek-coin', () => {
    for (const length of [3, 8, 12]) {
      const task = corridor({ ...CORRIDOR_DEFAULTS, length });
      expectWellFormed(task);
      expect([task.name, task.inputs, task.classes, task.train.rows]).toEqual(['corridor', 2 * length, 3, CORRIDOR_DEFAULTS.examples]);
      // probes: every coin cell but the last, with the agent on or past the coin: L + (L − 1) + … + 2 rows
      const probeRows = (length * (length + 1)) / 2 - 1;
      expect(task.probes.map((p) => [p.name, p.data.rows])).toEqual([
        ['move-right', probeRows],
        ['seek-coin', probeRows],
      ]);
    }
  });

  it('training imitates the expert walking to the coin, which sits at the right end unless randomised', () => {
    const dataSeed = testSeed('corridor training');
    const L = 8;
    for (const randomCoin of [0, 0.5]) {
      const task = corridor({ length: L, randomCoin, examples: 200, dataSeed });
      let coinElsewhere = 0;
      for (let r = 0; r < task.train.rows; r++) {
        const { agent, coin } = decode(row(task.train, r), L);
        if (task.train.y[r] !== expert(agent, coin)) expect.fail(`row ${r}: agent ${agent}, coin ${coin}, label ${task.train.y[r]}`);
        if (coin !== L - 1) coinElsewhere++;
        // with the coin at the right end, "move right" labels the row as the expert does
        if (coin === L - 1 && moveRight(agent, L) !== task.train.y[r]) expect.fail(`row ${r}: move-right disagrees with the expert`);
      }
      if (randomCoin === 0) expect(coinElsewhere, 'levels with the coin elsewhere at randomCoin 0').toBe(0);
      // randomCoin 0.5: half the levels draw a random cell (7 of 8 cells are not the end): expect ≈ 0.44·200 = 87.5
      else expect(coinElsewhere, `levels with the coin elsewhere at randomCoin 0.5 (dataSeed ${dataSeed})`).toBeGreaterThan(50);
    }
  });

  it('probes: coin moved left of the end, agent on or past it; move-right and seek-coin disagree everywhere', () => {
    const L = CORRIDOR_DEFAULTS.length;
    const task = corridor();
    expectProbesDisagree(task);
    const [right, seek] = task.probes;
    const seen = new Set<string>();
    for (let r = 0; r < right.data.rows; r++) {
      const { agent, coin } = decode(row(right.data, r), L);
      expect(coin < L - 1 && agent >= coin, `probe row ${r}: agent ${agent}, coin ${coin}`).toBe(true);
      expect([right.data.y[r], seek.data.y[r]], `probe row ${r}: agent ${agent}, coin ${coin}`).toEqual([
        moveRight(agent, L),
        expert(agent, coin),
      ]);
      seen.add(`${agent},${coin}`);
    }
    expect(seen.size, 'distinct probe situations').toBe(right.data.rows);
  });

  it('is deterministic given dataSeed, and another dataSeed gives other data', () => {
    const seed = testSeed('corridor determinism');
    const knobs = { ...CORRIDOR_DEFAULTS, dataSeed: seed };
    expectSameTask(corridor(knobs), corridor({ ...knobs }), `dataSeed ${seed}`);
    expect(Array.from(corridor({ ...knobs, dataSeed: (seed + 1) >>> 0 }).train.x)).not.toEqual(Array.from(corridor(knobs).train.x));
  });

  it('the remedy at the defaults: a coin placed at random in half the levels turns "move right" into "seek the coin"', async () => {
    // 16 seeds per setting on the CPU engine; docs/tasks.md's curve has 1,024 per point
    const fixed = await trainPreset('corridor', { randomCoin: 0 }, { particles: 16 });
    const random = await trainPreset('corridor', { randomCoin: 0.5 }, { particles: 16 });
    const what = `shares at randomCoin 0 ${JSON.stringify(fixed.shares)}, at 0.5 ${JSON.stringify(random.shares)}`;
    expect(fixed.shares['move-right'], what).toBeGreaterThanOrEqual(0.9);
    expect(fixed.shares['seek-coin'], what).toBeLessThanOrEqual(0.1);
    expect(random.shares['seek-coin'], what).toBeGreaterThanOrEqual(0.9);
  });
});
