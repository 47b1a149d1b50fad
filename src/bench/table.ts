import type { BenchReport } from './suite';

const num = (x: number, digits = 0) =>
  Number.isFinite(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '—';
const sig = (x: number) => (!Number.isFinite(x) ? '—' : x >= 100 ? num(x) : x >= 10 ? num(x, 1) : x >= 1 ? num(x, 2) : x.toPrecision(2));
const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(x < 0.1 ? 2 : 1)}%` : '—');
const model = (hidden: number[]) => `3-${hidden.join('-')}-1`;

/** Columns padded to their widest cell; the first column left-aligned, the rest right-aligned. */
export function columns(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd(),
  );
}

/** The benchmark as one plain-text table (the CLI prints it; the page shows it in a <pre>). */
export function formatReport(r: BenchReport): string {
  const out: string[] = [];
  out.push(`Basin Atlas benchmark on ${r.device || '…'}`);
  out.push(`Calibration: FMA ${sig(r.peak.gflops)} GFLOP/s, copy bandwidth ${sig(r.peak.gbps)} GB/s (shaders/calibrate.wgsl)`);
  out.push('');
  out.push('Trainer: thneeb task, tanh, SGD, batch 16; FLOPs counted from the layout (forward, backward, update)');
  const details = new Map(r.details.trainer.map((d) => [`${d.hidden}|${d.particles}`, d]));
  out.push(
    ...columns([
      ['model', 'particles', 'steps', 'particle-steps/s', 'GFLOP/s', 'of FMA peak', '× CPU engine', '× TF.js'],
      ...r.trainer.map((t) => [
        model(t.hidden),
        num(t.particles),
        num(details.get(`${t.hidden}|${t.particles}`)?.steps ?? NaN),
        num(t.particleStepsPerSec),
        sig(t.gflops),
        pct(t.fractionOfPeak),
        sig(t.cpuRatio),
        sig(t.tfjsRatio),
      ]),
    ]),
  );
  if (r.modelAxis?.length) {
    out.push('');
    out.push('Model axis: per net and particle count; compile = first step less a steady one; CPU engine at 8 particles;');
    out.push('× TF.js (its faster backend), × PyTorch: ours ÷ the peer at the same count (the peers table below)');
    out.push(
      ...columns([
        [
          'net',
          'params',
          'particles',
          'kernels',
          'compile s',
          'particle-steps/s',
          'GFLOP/s',
          'of FMA peak',
          'CPU engine',
          '× CPU engine',
          '× TF.js',
          '× PyTorch',
        ],
        ...r.modelAxis.map((m) => [
          m.net,
          num(m.params),
          num(m.particles),
          m.trainer,
          sig(m.compileSeconds),
          sig(m.particleStepsPerSec),
          sig(m.gflops),
          pct(m.fractionOfPeak),
          sig(m.cpuParticleStepsPerSec),
          sig(m.cpuRatio),
          sig(m.tfjsRatio ?? NaN),
          sig(m.torchRatio ?? NaN),
        ]),
      ]),
    );
    const peers = [...new Set(r.modelAxis.flatMap((m) => (m.peers ?? []).map((p) => p.peer)))];
    if (peers.length) {
      out.push('');
      out.push('Model axis peers: particle-steps/s (compile s), same net, task, batch, optimizer; where each ran: the notes');
      out.push(
        ...columns([
          ['net', 'particles', 'ours', ...peers],
          ...r.modelAxis.map((m) => [
            m.net,
            num(m.particles),
            `${sig(m.particleStepsPerSec)} (${sig(m.compileSeconds)})`,
            ...peers.map((name) => {
              const p = m.peers?.find((q) => q.peer === name);
              return p ? `${sig(p.particleStepsPerSec)} (${sig(p.compileSeconds)})` : '—';
            }),
          ]),
        ]),
      );
    }
  }
  if (r.scaling.length) {
    out.push('');
    out.push('Scaling: exponent e of time ∝ work^e (1 = linear; fitted log-log)');
    out.push(
      ...columns([
        ['model', 'vs particles', 'over particles', 'vs steps', 'at particles'],
        ...r.scaling.map((s) => [
          model(s.hidden),
          sig(s.particlesExponent),
          `${num(s.particlesRange[0])}–${num(s.particlesRange[1])}`,
          sig(s.stepsExponent),
          s.atParticles ? num(s.atParticles) : '—',
        ]),
      ]),
    );
  }
  if (r.lossMap.length) {
    const d = r.details.lossMap[0];
    out.push('');
    out.push(
      `Loss map: 3-16-1 net, every set of the task per point (${num(d.flopsPerPoint)} FLOPs, ${num(d.bytesPerPoint)} bytes per point; ${d.bound === 'fma' ? 'FMA' : 'bandwidth'} bound binds)`,
    );
    out.push(
      ...columns([
        ['grid', 'points/s', 'seconds', 'of bound'],
        ...r.lossMap.map((l, i) => [`${l.res}×${l.res}`, num(l.pointsPerSec), sig(r.details.lossMap[i].seconds), pct(l.fractionOfBound)]),
      ]),
    );
  }
  if (r.peers.length) {
    out.push('');
    out.push('Peers on the same work (same models, task, batch, learning rate)');
    out.push(
      ...columns([
        ['peer', 'model', 'particles', 'particle-steps/s'],
        ...r.peers.map((p) => [p.peer + (p.note ? ` (${p.note})` : ''), model(p.hidden), num(p.particles), num(p.particleStepsPerSec)]),
      ]),
    );
  }
  if (r.details.notes.length) {
    out.push('');
    out.push(...r.details.notes.map((n) => `note: ${n}`));
  }
  if (r.details.seconds) out.push('', `${num(r.details.seconds)} s in all, started ${r.details.startedAt}`);
  return out.join('\n');
}
