import { powerOfTen } from '../charts/logTicks';
import type { CurvePoint } from '../state/runData.svelte';

/**
 * The Curves panel as an SVG for a paper or a slide: train loss (median and 10–90% band, log
 * scale) above probe accuracy (medians and bands, and the train accuracy's median), axes with
 * units, a legend, a title. Pure string building, so it is tested without a browser.
 */
export interface CurvesInput {
  readonly curves: readonly CurvePoint[];
  readonly probes: readonly string[];
  /** one colour per probe, as the sandbox draws it */
  readonly colours: readonly string[];
  readonly title: string;
}

const W = 640;
const PLOT = { left: 64, right: W - 16, height: 200 };
const LOSS_TOP = 52;
const ACC_TOP = LOSS_TOP + PLOT.height + 58;
const H = ACC_TOP + PLOT.height + 80;
/** characters of the title per line at its size, in this width */
const TITLE_CHARS = 72;
const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (x: number) => +x.toFixed(2);

interface Axis {
  readonly toX: (step: number) => number;
  readonly toY: (v: number) => number;
}

/** A polyline through the finite points; gaps where a value is not finite. */
function path(points: readonly [number, number][], axis: Axis): string {
  let d = '';
  let pen = false;
  for (const [s, v] of points) {
    if (!Number.isFinite(v)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${num(axis.toX(s))},${num(axis.toY(v))}`;
    pen = true;
  }
  return d;
}

/** The area between two curves (a band), over the points where both are finite. */
function band(lo: readonly [number, number][], hi: readonly [number, number][], axis: Axis): string {
  const ok = lo.map((p, i) => Number.isFinite(p[1]) && Number.isFinite(hi[i][1]));
  const top = hi.filter((_, i) => ok[i]).map(([s, v]) => `${num(axis.toX(s))},${num(axis.toY(v))}`);
  const bottom = lo
    .filter((_, i) => ok[i])
    .reverse()
    .map(([s, v]) => `${num(axis.toX(s))},${num(axis.toY(v))}`);
  return top.length > 1 ? `M${top.join('L')}L${bottom.join('L')}Z` : '';
}

function stepTicks(max: number): number[] {
  const raw = max / 5;
  const step = [1, 2, 2.5, 5, 10].map((m) => m * 10 ** Math.floor(Math.log10(raw || 1))).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = 0; t <= max + 1e-9; t += step) out.push(+t.toPrecision(6));
  return out;
}

function frame(top: number, axis: Axis, yTicks: { v: number; label: string }[], yLabel: string, xTicks: number[]): string {
  const bottom = top + PLOT.height;
  let s = `<rect x="${PLOT.left}" y="${top}" width="${PLOT.right - PLOT.left}" height="${PLOT.height}" fill="none" stroke="#9aa0aa"/>`;
  for (const t of yTicks) {
    const y = num(axis.toY(t.v));
    s += `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${y}" y2="${y}" stroke="#eceef2"/>`;
    if (t.label)
      s += `<text x="${PLOT.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="12" fill="#5f6470">${t.label}</text>`;
  }
  for (const t of xTicks) {
    const x = num(axis.toX(t));
    s += `<line x1="${x}" x2="${x}" y1="${bottom}" y2="${bottom + 4}" stroke="#5f6470"/>`;
    s += `<text x="${x}" y="${bottom + 17}" text-anchor="middle" font-size="12" fill="#5f6470">${t}</text>`;
  }
  s += `<text x="${(PLOT.left + PLOT.right) / 2}" y="${bottom + 34}" text-anchor="middle" font-size="13">step (optimizer steps)</text>`;
  s += `<text transform="translate(16 ${top + PLOT.height / 2}) rotate(-90)" text-anchor="middle" font-size="13">${esc(yLabel)}</text>`;
  return s;
}

export function curvesSvg(input: CurvesInput): string {
  const { curves, probes, colours } = input;
  const steps = curves.map((c) => c.step);
  const maxStep = Math.max(1, ...steps);
  const toX = (s: number) => PLOT.left + (s / maxStep) * (PLOT.right - PLOT.left);
  const xTicks = stepTicks(maxStep);

  // loss: log scale over whole decades that hold every finite, positive value
  const losses = curves.flatMap((c) => [c.trainLoss.lo, c.trainLoss.mid, c.trainLoss.hi]).filter((x) => Number.isFinite(x) && x > 0);
  const k0 = losses.length ? Math.floor(Math.log10(Math.min(...losses))) : -3;
  const k1 = losses.length ? Math.ceil(Math.log10(Math.max(...losses))) : 1;
  const k1s = Math.max(k1, k0 + 1);
  const loss: Axis = { toX, toY: (v) => LOSS_TOP + PLOT.height * (1 - (Math.log10(v) - k0) / (k1s - k0)) };
  const logValue = (x: number) => (x > 0 ? x : NaN);
  const lossAt = (pick: (c: CurvePoint) => number) => curves.map((c): [number, number] => [c.step, logValue(pick(c))]);
  const decades = Array.from({ length: k1s - k0 + 1 }, (_, i) => ({ v: 10 ** (k0 + i), label: powerOfTen(k0 + i) }));

  const acc: Axis = { toX, toY: (v) => ACC_TOP + PLOT.height * (1 - v / 100) };
  const accAt = (pick: (c: CurvePoint) => number) => curves.map((c): [number, number] => [c.step, 100 * pick(c)]);

  let body = '';
  // the title on as many lines as it needs, broken between its " · " parts
  const lines: string[] = [];
  for (const part of input.title.split(' · ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + part.length + 3 <= TITLE_CHARS) lines[last] += ` · ${part}`;
    else lines.push(part);
  }
  const shift = 18 * (lines.length - 1);
  lines.forEach((line, i) => (body += `<text x="16" y="${22 + 18 * i}" font-size="15" font-weight="600">${esc(line)}</text>`));
  body += `<g transform="translate(0 ${shift})">`;
  body += `<text x="${PLOT.left}" y="${LOSS_TOP - 10}" font-size="13" font-weight="600">Train loss (nats), log scale</text>`;
  body += frame(LOSS_TOP, loss, decades, 'train loss (nats)', xTicks);
  body += `<path d="${band(
    lossAt((c) => c.trainLoss.lo),
    lossAt((c) => c.trainLoss.hi),
    loss,
  )}" fill="rgba(60,60,60,0.15)"/>`;
  body += `<path d="${path(
    lossAt((c) => c.trainLoss.mid),
    loss,
  )}" fill="none" stroke="#222" stroke-width="2"/>`;

  body += `<text x="${PLOT.left}" y="${ACC_TOP - 10}" font-size="13" font-weight="600">Accuracy (%)</text>`;
  body += frame(
    ACC_TOP,
    acc,
    [0, 25, 50, 75, 100].map((v) => ({ v, label: String(v) })),
    'accuracy (%)',
    xTicks,
  );
  probes.forEach((_, i) => {
    body += `<path d="${band(
      accAt((c) => c.probeAcc[i].lo),
      accAt((c) => c.probeAcc[i].hi),
      acc,
    )}" fill="${colours[i]}" fill-opacity="0.2"/>`;
  });
  probes.forEach((_, i) => {
    body += `<path d="${path(
      accAt((c) => c.probeAcc[i].mid),
      acc,
    )}" fill="none" stroke="${colours[i]}" stroke-width="2"/>`;
  });
  body += `<path d="${path(
    accAt((c) => c.trainAcc.mid),
    acc,
  )}" fill="none" stroke="#222" stroke-width="2" stroke-dasharray="5 4"/>`;

  // legend: one entry per line item, swatch beside its label
  const entries: { colour: string; dash?: boolean; band?: boolean; label: string }[] = [
    { colour: '#222', label: 'median over particles (loss)' },
    { colour: 'rgba(60,60,60,0.3)', band: true, label: '10–90% of particles' },
    { colour: '#222', dash: true, label: 'train accuracy (median)' },
    ...probes.map((p, i) => ({ colour: colours[i], label: `${p} probe accuracy (median, 10–90% band)` })),
  ];
  let y = ACC_TOP + PLOT.height + 52;
  let x = PLOT.left;
  for (const e of entries) {
    const width = 30 + e.label.length * 6.6;
    if (x + width > W - 8) {
      x = PLOT.left;
      y += 18;
    }
    body += e.band
      ? `<rect x="${x}" y="${y - 6}" width="20" height="10" fill="${e.colour}"/>`
      : `<line x1="${x}" x2="${x + 20}" y1="${y - 1}" y2="${y - 1}" stroke="${e.colour}" stroke-width="2"${e.dash ? ' stroke-dasharray="5 4"' : ''}/>`;
    body += `<text x="${x + 26}" y="${y + 3}" font-size="12">${esc(e.label)}</text>`;
    x += width;
  }
  body += '</g>';
  const height = Math.max(H, y + 16) + shift;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="${FONT}" fill="#1d1f24"><rect width="100%" height="100%" fill="#fff"/>${body}</svg>\n`;
}
