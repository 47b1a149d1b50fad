import { describe, expect, test } from 'vitest';
import { wilson } from '../../src/core/stats';
import type { SectionContext } from '../../src/report/section';
import { SECTIONS } from '../../src/report/sections';

const prior = SECTIONS.find((s) => s.id === 'prior')!;

/** A `prior` answer with these counts and this correlation (null: none estimated). */
const answer = (both: number, r: { value: number; low: number; high: number } | null) => ({
  kind: 'prior',
  samples: 2000,
  accepted: 40,
  acceptance: wilson(40, 2000),
  priorSeconds: 9,
  seconds: 12,
  sgd: { particles: 64, fitted: 64 },
  functions: [],
  functionCounts: { both, priorOnly: 30, sgdOnly: 2 },
  sgdOnPriorFunctions: wilson(62, 64),
  correlation: r && { ...r, spearman: r, functions: both },
  meanGeneralisationError: { prior: { value: 0.4, low: 0.35, high: 0.45 }, sgd: null },
});

describe('the report’s prior section', () => {
  test('runs prior at 4 bits with --png, tabulates both correlations and the one-sided counts, and computes its verdict', async () => {
    const seen: string[][] = [];
    const ctx = (json: object): SectionContext => ({
      size: 'small',
      figure: (name) => ({ path: `/tmp/${name}`, link: `findings/${name}` }),
      write: () => {},
      run: async (c) => {
        seen.push([...c.args]);
        return json as Record<string, unknown>;
      },
    });
    const body = await prior.build(ctx(answer(27, { value: -0.14, low: -0.44, high: 0.18 })));
    expect(seen[0].join(' ')).toBe(
      'prior --task boolean --knob bits=4 --knob m=3 --engine cpu --samples 2000 --sgd 64 --steps 60 --png /tmp/prior-scatter.png',
    );
    expect(body.figures?.[0].link).toBe('findings/prior-scatter.png');
    expect(body.found).toContain('| functions found by both / prior only / SGD only | 27 / 30 / 2 |');
    expect(body.found).toContain('| Spearman ρ of the same (95% bootstrap) | -0.14 [-0.44, 0.18] |');
    expect(body.differs).toMatch(/^Differs: r = -0.14 \[-0.44, 0.18\] over 27 functions found by both/);
    const agrees = await prior.build(ctx(answer(27, { value: 0.8, low: 0.6, high: 0.9 })));
    expect(agrees.differs).toMatch(/^Agrees: r = 0.80/);
    const few = await prior.build(ctx(answer(3, null)));
    expect(few.differs).toMatch(/^Cannot tell: 3 functions found by both/);
    expect(few.found).toContain('| Pearson r of log P_SGD against log P_prior (95% bootstrap) | — |');
  });
});
