import { describe, expect, it } from 'vitest';
import { runModelAxis, type ModelAxisRow } from '../../src/bench/modelAxis';
import { CpuEngine } from '../../src/core/cpuEngine';

/**
 * The TF.js branch of the model axis (src/bench/modelAxis.ts peerRates, tfjsRatio) on TF.js's
 * `cpu` backend, with the CPU engine standing in for ours: the axis's bookkeeping is what is under
 * test, at 2 particles of 3-16-1. The backend is listed twice, so the row holds two TF.js rates
 * and the ratio must be taken against the faster.
 */
describe('model axis: the TF.js peer', () => {
  it("rows carry each backend's rate and tfjsRatio = ours / the fastest backend", async () => {
    const tf = await import('@tensorflow/tfjs');
    const notes: string[] = [];
    const log: string[] = [];
    const rows: ModelAxisRow[] = [];
    const backends = [
      { name: 'cpu', label: 'cpu' },
      { name: 'cpu', label: 'cpu, again' },
    ];
    await runModelAxis(
      new CpuEngine(),
      {
        models: ['3-16-1'],
        peakGflops: 1,
        rowSeconds: 0.01,
        maxRowSeconds: 100,
        particleCounts: [2],
        tfjs: { tf, backends, notes: [] },
        log: (l) => log.push(l),
        notes,
      },
      (row) => rows.push(row),
    );
    expect(rows.length).toBe(1);
    const [row] = rows;
    expect([row.net, row.params, row.particles, row.trainer]).toEqual(['3-16-1', 81, 2, 'cpu']);
    expect(row.peers.map((p) => p.peer)).toEqual(['TF.js cpu', 'TF.js cpu']);
    for (const p of row.peers) {
      expect(p.particleStepsPerSec).toBeGreaterThan(0);
      expect(Number.isFinite(p.particleStepsPerSec)).toBe(true);
      expect(p.compileSeconds).toBeGreaterThanOrEqual(0);
    }
    const fastest = Math.max(...row.peers.map((p) => p.particleStepsPerSec));
    expect(row.tfjsRatio).toBe(row.particleStepsPerSec / fastest);
    expect(row.torchRatio).toBeNaN();
    expect(row.cpuRatio).toBe(row.particleStepsPerSec / row.cpuParticleStepsPerSec);
    expect(notes).toContain('model axis TF.js backends: cpu (cpu), cpu (cpu, again)');
    expect(log).toContain('model axis: 3-16-1, TF.js cpu, 2 particles');
    expect(notes.filter((n) => n.includes('stopped'))).toEqual([]);
  });
});
