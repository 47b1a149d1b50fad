import { table } from '../markdown';
import { priorSgdVerdict } from '../../core/verdicts/priorSgd';
import { readPrior } from '../results';
import type { ReportSection } from '../section';
import { interval } from './shared';

/** The prior experiment's setting: 4 input bits, 3 training points (see docs/instruments/prior.md for why). */
const PRIOR_KNOBS = ['--knob', 'bits=4', '--knob', 'm=3'];

export const prior: ReportSection = {
  id: 'prior',
  title: 'Does SGD sample the prior? (boolean, prior)',
  paper:
    'Valle-Pérez et al. (2019) and Mingard et al. (2021): on Boolean functions of 7 bits, the probability that SGD finds a function matches the probability that random parameters from the init compute it (given that they fit the training data): SGD behaves like a Bayesian sampler of the prior, and a log-log scatter of P_SGD(f) against P_prior(f) lies along the diagonal.',
  async build(ctx) {
    const full = ctx.size === 'full';
    const png = ctx.figure('prior-scatter.png');
    const command = {
      args: [
        'prior',
        '--task',
        'boolean',
        ...PRIOR_KNOBS,
        // the full report on the GPU engine: 10⁶ prior samples took 300 s on SwiftShader (the CPU
        // engine 563 s for 10⁵); the quick check on the CPU engine, which compiles nothing
        '--engine',
        full ? 'gpu' : 'cpu',
        '--samples',
        full ? '1000000' : '2000',
        '--sgd',
        full ? '1024' : '64',
        '--steps',
        '60',
        '--png',
        png.path,
      ],
    };
    const r = readPrior(await ctx.run(command));
    const c = r.correlation;
    const f2 = (x: number) => x.toFixed(2);
    const err = (m: { value: number; low: number; high: number } | null) =>
      m ? `${m.value.toFixed(3)} [${m.low.toFixed(3)}, ${m.high.toFixed(3)}]` : '—';
    const found = [
      table(
        ['measure', 'value'],
        [
          ['prior samples', r.samples.toLocaleString('en')],
          ['accepted (fit the 3 training points)', `${r.accepted.toLocaleString('en')}: ${interval(r.acceptance)}`],
          ['SGD particles that fit', `${r.sgd.fitted} of ${r.sgd.particles}`],
          [
            'functions found by both / prior only / SGD only',
            `${r.functionCounts.both} / ${r.functionCounts.priorOnly} / ${r.functionCounts.sgdOnly}`,
          ],
          ['Pearson r of log P_SGD against log P_prior (95% bootstrap)', c ? `${f2(c.value)} [${f2(c.low)}, ${f2(c.high)}]` : '—'],
          ['Spearman ρ of the same (95% bootstrap)', c ? `${f2(c.spearman.value)} [${f2(c.spearman.low)}, ${f2(c.spearman.high)}]` : '—'],
          ['fitted SGD particles on a function the prior also found', r.sgdOnPriorFunctions ? interval(r.sgdOnPriorFunctions) : '—'],
          ['mean held-out error, prior / SGD', `${err(r.meanGeneralisationError.prior)} / ${err(r.meanGeneralisationError.sgd)}`],
        ],
      ),
      '',
      `Four input bits (16 inputs) and three training points, so that the 2¹³ completions of the training set are few enough for the prior and SGD to meet on many functions; the paper\u2019s 7 bits and m = 64 accept nothing in 20,000 samples here. ${r.samples.toLocaleString('en')} prior samples took ${Math.round(r.priorSeconds)} s on the ${r.engine === 'cpu' ? 'CPU engine' : `GPU engine (${r.device})`}, ${Math.round(r.seconds)} s with SGD.`,
      ...(r.problems?.length ? ['', `The command reports: ${r.problems.join('; ')}.`] : []),
    ].join('\n');
    const differs = priorSgdVerdict({ ...r.functionCounts, r: c }).text;
    return {
      commands: [command],
      found,
      differs,
      figures: [
        {
          link: png.link,
          caption:
            'log10 P_SGD(f) (y) against log10 P_prior(f) (x), one point per function both found, coloured by its error on the 13 held-out inputs; the red line is P_SGD = P_prior',
        },
      ],
    };
  },
};
