import { describe, expect, test } from 'vitest';
import { alignedBarrierSection } from '../../src/report/sections/alignedBarriers';
import { geometrySection } from '../../src/report/sections/geometry';
import type { SectionContext } from '../../src/report/section';

/** A context answering every command with `answer(args)`, recording the commands it was asked. */
function context(answer: (args: readonly string[]) => unknown, size: 'small' | 'full' = 'small'): { ctx: SectionContext; seen: string[] } {
  const seen: string[] = [];
  const ctx: SectionContext = {
    size,
    figure: (name) => ({ path: `/tmp/${name}`, link: name }),
    write: () => {},
    run: async (c) => {
      seen.push(c.args.join(' '));
      return answer(c.args) as Record<string, unknown>;
    },
  };
  return { ctx, seen };
}

/** A fake `geometry` answer: 30 shape particles flat (0.02 + …) and wide, 6 colour ones sharp and narrow, 2 mixed. */
function geometryJson() {
  const particles = [
    ...Array.from({ length: 30 }, (_, i) => ({
      outcome: 'shape',
      topEigenvalue: 0.02 + 0.0004 * i,
      r50: 0.3 + 0.01 * i,
      llc: 1 + 0.01 * i,
    })),
    ...Array.from({ length: 6 }, (_, i) => ({ outcome: 'colour', topEigenvalue: 0.04 + 0.001 * i, r50: 0.1 + 0.01 * i, llc: 1.2 })),
    ...Array.from({ length: 2 }, () => ({ outcome: 'mixed', topEigenvalue: 0.03, r50: 0.5, llc: 1.1, llcProblem: 'diverged' })),
  ];
  return { kind: 'geometry', counts: {}, particles };
}

describe('the geometry and aligned-barrier sections of the findings report', () => {
  test('geometry: every median with its interquartile range, every share with its interval, the verdict from the differences', async () => {
    const { ctx, seen } = context(() => geometryJson());
    const body = await geometrySection.build(ctx);
    expect(seen).toHaveLength(3);
    expect(seen[0]).toMatch(/^geometry --knob salience=0.875 --particles 12/);
    // shape's 30 eigenvalues 0.0200 … 0.0316 by 0.0004: median 0.0258, quartiles 0.0229 and 0.0287
    expect(body.found).toContain('| 0.875 | shape | 30 of 38 (78.9% [63.7, 88.9]) | 0.0258 [0.0229, 0.0287] |');
    // an LLC with a problem is left out: mixed has none
    expect(body.found).toMatch(/\| 1 \| mixed \| 2 of 38 \([^)]*\) \| 0\.0300 \[0\.0300, 0\.0300\] \| 0\.500 \[0\.500, 0\.500\] \| — \|/);
    // shape is found more, flatter and wider at every salience: the criterion holds
    expect(body.found).toMatch(/\| 1\.125 \| shape − colour \| -0\.0\d+ \[-0\.\d+, -0\.\d+\] \|/);
    expect(body.differs).toMatch(/^Agrees: at every salience/);
  });

  test('geometry (full size): a salience whose less-found class has fewer than 5 seeds gets the next chunk of seeds, pooled', async () => {
    // the first chunk at each salience: 2 colour among 34; every later chunk: 6 among 38
    const answer = (args: readonly string[]) => {
      const j = geometryJson();
      if (!args.includes('--first-particle')) j.particles = j.particles.filter((p) => p.outcome !== 'colour' || p.r50 < 0.12);
      return j;
    };
    const { ctx, seen } = context(answer, 'full');
    const body = await geometrySection.build(ctx);
    expect(seen.slice(0, 3)).toEqual([
      'geometry --knob salience=0.875 --particles 64',
      'geometry --knob salience=0.875 --particles 64 --first-particle 64',
      'geometry --knob salience=1 --particles 64',
    ]);
    expect(seen).toHaveLength(6);
    expect(body.commands.map((c) => c.args.join(' '))).toEqual(seen);
    expect(body.found).toContain('| 0.875 | colour | 8 of 72 (');
    expect(body.found).toContain('72 at 0.875');
    // a small report (a quick check) measures one chunk whatever it finds
    const small = context(answer);
    await geometrySection.build(small.ctx);
    expect(small.seen).toHaveLength(3);
  });

  test('aligned barriers: each group median with its interquartile range from the matrix, the ARI with its interval', async () => {
    // four particles: 0, 1 colour; 2, 3 shape; within-class barriers 0.01 and 0.02, between 0.1 … 0.4
    const barrier = [
      [0, 0.01, 0.1, 0.2],
      [0.01, 0, 0.3, 0.4],
      [0.1, 0.3, 0, 0.02],
      [0.2, 0.4, 0.02, 0],
    ];
    const particles = ['colour', 'colour', 'shape', 'shape'].map((outcome) => ({ outcome }));
    const summary = {
      colour: { pairs: 1, mean: 0.01, sd: 0, median: 0.01 },
      shape: { pairs: 1, mean: 0.02, sd: 0, median: 0.02 },
      'colour|shape': { pairs: 4, mean: 0.25, sd: 0.13, median: 0.25 },
    };
    const { ctx, seen } = context((args) => ({
      kind: 'barriers',
      set: args[args.indexOf('--set') + 1],
      summary,
      barrier,
      particles,
      ari: 1,
      ariInterval: { lo: 0.5, hi: 1 },
    }));
    const body = await alignedBarrierSection.build(ctx);
    expect(seen).toEqual([
      'barriers --align --set train --particles 12',
      'barriers --align --set colour --particles 12',
      'barriers --align --set shape --particles 12',
    ]);
    expect(body.found).toContain('lines with no barrier at all, by set: train 0 of 6, colour 0 of 6, shape 0 of 6.');
    expect(body.found).toContain(
      '| colour | 0.0100 [0.0100, 0.0100] (1 pairs) | 0.0200 [0.0200, 0.0200] (1 pairs) | 0.250 [0.175, 0.325] (4 pairs) | 1.000 [0.500, 1.000] |',
    );
    expect(body.differs).toMatch(/^Agrees: /);
    expect(body.differs).toContain('colour: median barrier between 0.25 [0.18, 0.33], within colour 0.010 [0.010, 0.010]');
  });
});
