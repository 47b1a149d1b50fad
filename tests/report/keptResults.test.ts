import { describe, expect, test } from 'vitest';
import type { ToolCommand } from '../../src/report/commandRunner';
import { KEPT_PARTICLES, cacheText, pickPaths, summaryOf } from '../../src/report/keptResults';
import type { SectionContext } from '../../src/report/section';
import { SECTIONS } from '../../src/report/sections';
import { seeded, testSeed } from '../helpers/random';

const particle = (i: number) => ({
  index: i,
  outcome: i % 3 ? 'generalised' : 'memorised',
  trainLoss: 0.01 * i,
  steps: { train: 100, probe: { generalised: i % 3 ? 500 : null } },
  record: { train: { loss: [3, 1], acc: [0.1, 1] }, probes: { generalised: { loss: [3, 2], acc: [0.05, 0.5] } } },
});
const result = (n: number) => ({ kind: 'train', counts: { generalised: n }, particles: Array.from({ length: n }, (_, i) => particle(i)) });

describe('what the report keeps of a result (summaryOf)', () => {
  test(`up to ${KEPT_PARTICLES} particles the result is kept whole, named fields or not`, () => {
    const r = result(KEPT_PARTICLES);
    expect(summaryOf(r)).toBe(r);
    expect(summaryOf(r, ['outcome'])).toBe(r);
    expect(summaryOf({ kind: 'hypermap', counts: [[1]] })).toEqual({ kind: 'hypermap', counts: [[1]] });
  });

  test('past that, the per-particle list is dropped unless the command names the fields its section reads', () => {
    const r = result(KEPT_PARTICLES + 1);
    expect(summaryOf(r)).toEqual({ kind: 'train', counts: { generalised: KEPT_PARTICLES + 1 } });
    const kept = summaryOf(r, ['outcome', 'steps', 'record.train.acc', 'record.probes.generalised.acc']);
    expect(kept.counts).toEqual(r.counts);
    expect(kept.particles).toEqual(
      r.particles.map((p) => ({
        outcome: p.outcome,
        steps: p.steps,
        record: { train: { acc: p.record.train.acc }, probes: { generalised: { acc: p.record.probes.generalised.acc } } },
      })),
    );
    // the input is not changed
    expect(r.particles[0].record.train.loss).toEqual([3, 1]);
  });

  test('a named path the particle lacks is left out, and a null on the way is kept as it is', () => {
    expect(pickPaths({ a: { b: 1 } }, ['a.c', 'x.y', 'a.b.c'])).toEqual({});
    expect(pickPaths({ a: null, b: [1, 2] }, ['a', 'b', 'b.0'])).toEqual({ a: null, b: [1, 2] });
  });
});

test('the kept results as text read back as they were, a line per field', () => {
  const cache = {
    'npx basin-atlas train': {
      kind: 'train',
      counts: [
        [1, 0],
        [0, 1],
      ],
      s: 'a "quoted" line\n',
    },
    'npx basin-atlas hypermap': {},
  };
  const text = cacheText(cache);
  expect(JSON.parse(text)).toEqual(cache);
  expect(text.split('\n')).toContain('  "counts": [[1,0],[0,1]],');
});

describe('the grokking section reads only what it keeps of its particles', () => {
  const grokking = SECTIONS.find((s) => s.id === 'grokking')!;
  /** A fake full-size run: 100 particles at p = 23 on random recorded accuracies, each fitting and generalising at random steps. */
  function fakeTrain(random: () => number) {
    const steps = Array.from({ length: 31 }, (_, k) => 50 * k);
    const at = () => steps[1 + Math.floor(random() * 29)];
    const particles = Array.from({ length: 100 }, (_, i) => {
      const fit = at();
      const reach = Math.max(fit, at());
      const held = steps.map((s) => (s >= reach ? 0.95 : s >= fit ? 0.2 * random() : 0.04));
      const train = steps.map((s) => (s >= fit ? 1 : 0.5 * random()));
      return {
        ...particle(i),
        outcome: reach < 1500 ? 'generalised' : 'memorised',
        steps: { train: fit, probe: { generalised: reach } },
        record: { train: { loss: train.map((a) => 1 - a), acc: train }, probes: { generalised: { loss: held, acc: held } } },
      };
    });
    const share = { fraction: 0.5, low: 0.4, high: 0.6 };
    return {
      kind: 'train',
      engine: 'gpu',
      device: 'a test device',
      seconds: 12,
      config: { knobs: { p: 23 }, seed: 1, noiseSeed: 2 },
      classes: ['generalised', 'memorised'],
      counts: { generalised: 50, memorised: 50 },
      fractions: { generalised: share, memorised: share },
      record: { steps },
      particles,
    };
  }
  const map = {
    kind: 'hypermap',
    res: 1,
    perCell: 1,
    xs: [1],
    ys: [0.6],
    classes: ['generalised'],
    counts: [[1]],
    meanLoss: [0.1],
    fractions: { generalised: { fraction: 1, low: 0.2, high: 1 } },
    config: { steps: 1000, knobs: { p: 23 } },
    seconds: 1,
  };
  const build = (keep: (json: Record<string, unknown>, command: ToolCommand) => Record<string, unknown>) => {
    const train = fakeTrain(seeded(testSeed('grokking section kept particles')));
    const ctx: SectionContext = {
      size: 'full',
      figure: (name) => ({ path: `/tmp/${name}`, link: `findings/${name}` }),
      write: () => {},
      run: async (c) => structuredClone(keep(c.args[0] === 'hypermap' ? map : train, c)),
    };
    return grokking.build(ctx);
  };

  test('its text from the kept result is the text from the whole one', async () => {
    const whole = await build((json) => json);
    const kept = await build((json, command) => summaryOf(json, command.particleFields));
    expect(whole.differs).toMatch(/particles that fitted/);
    expect(kept.found).toBe(whole.found);
    expect(kept.differs).toBe(whole.differs);
    // and the kept particles are smaller: the loss curves and the rest are gone
    const train = fakeTrain(seeded(1));
    expect(JSON.stringify(summaryOf(train, whole.commands[0].particleFields)).length).toBeLessThan(0.7 * JSON.stringify(train).length);
  });
});
