import { hasBias, type LayerSpan } from '../core/layout';
import { WORKGROUP_SIZE } from './dispatch';

/**
 * The register tiles of the batched kernels' matrix passes (docs/PERFORMANCE.md, items 29 and 32):
 * an invocation of `forward_layer` computes `rows` batch rows × `units` output units of a layer,
 * one of `backward_layer` rows × input units, one of `gradients` `units` output units × `inputs`
 * input weights summed over every row. Each storage load then serves a whole row or column of
 * the tile. WGSL has no unrolled loops and SwiftShader does not unroll them, and a private array
 * indexed by a loop counter is run-time indexed memory there (item 2), so the tiles are
 * generated here as straight code over named scalars, one accumulator per element.
 *
 * Every element's sum keeps its terms and their order (bias first, then inputs in order; rows in
 * order for gradients), as the one-output kernel and mlp.wgsl: the tile shape changes no byte.
 */
export interface TileShape {
  readonly rows: number;
  readonly units: number;
}

export interface GradientTile {
  readonly units: number;
  readonly inputs: number;
}

export interface BatchedTiles {
  readonly forward: TileShape;
  readonly backward: TileShape;
  readonly gradients: GradientTile;
  /** forward_layer with workgroup-memory tiles: slower on SwiftShader (item 32), kept to try on a real GPU */
  readonly workgroup?: boolean;
}

/**
 * The engine's tiles: 8 × 8 in every pass. On SwiftShader (item 32, CPU time of fixed work) 8 × 8
 * took 17–35% less than 4 × 4 on the grokking net and on 784-128-10; 8 × 4, 4 × 8, 16 × 8 and
 * 8 × 16 were within the noise of 8 × 8 or behind it, and workgroup-memory tiles (`workgroup`)
 * made the forward pass 3–4× slower. To compare shapes, edit this and run
 * src/bench/experiments/batchedKernels.ts.
 */
export const BATCHED_TILES: BatchedTiles = {
  forward: { rows: 8, units: 8 },
  backward: { rows: 8, units: 8 },
  gradients: { units: 8, inputs: 8 },
};

/** Tiles of `side` covering n. */
export const tileCount = (n: number, side: number): number => Math.ceil(n / side);

/** Inputs per chunk that workgroup-memory tiles load at once. */
const WG_K = 16;
/** WebGPU's guaranteed maxComputeWorkgroupStorageSize: var<workgroup> bytes every device takes. */
export const WORKGROUP_STORAGE_BYTES = 16384;

/**
 * The side of the square of invocations of a workgroup with workgroup-memory tiles: the square
 * root of the WORKGROUP_SIZE the kernels are compiled with. Refuses a size that is not a square,
 * and a tile whose var<workgroup> arrays pass WebGPU's guaranteed 16 KiB.
 */
export function workgroupSide({ rows, units }: TileShape): number {
  const side = Math.round(Math.sqrt(WORKGROUP_SIZE));
  if (side * side !== WORKGROUP_SIZE)
    throw new Error(`workgroup-memory tiles need a square WORKGROUP_SIZE (src/engine/dispatch.ts), not ${WORKGROUP_SIZE}`);
  const bytes = 4 * WG_K * side * (rows + units);
  if (bytes > WORKGROUP_STORAGE_BYTES)
    throw new Error(
      `workgroup-memory forward tiles of ${rows} × ${units}: ${bytes} bytes of var<workgroup>, past WebGPU's guaranteed ${WORKGROUP_STORAGE_BYTES}`,
    );
  return side;
}

/** Invocations of one forward_layer dispatch over `count` particles × `rows` rows of a layer. */
export function forwardInvocations(t: BatchedTiles, count: number, rows: number, span: LayerSpan): number {
  if (!t.workgroup) return count * tileCount(rows, t.forward.rows) * tileCount(span.fanOut, t.forward.units);
  const side = workgroupSide(t.forward);
  return WORKGROUP_SIZE * count * tileCount(rows, side * t.forward.rows) * tileCount(span.fanOut, side * t.forward.units);
}

/** Invocations of one backward_layer dispatch (the deltas of the layer's inputs). */
export const backwardInvocations = (t: BatchedTiles, count: number, rows: number, span: LayerSpan): number =>
  count * tileCount(rows, t.backward.rows) * tileCount(span.fanIn, t.backward.units);

/** Invocations of one gradients dispatch: the weights' tiles, and with biases one more column of tiles. */
export const gradientInvocations = (t: BatchedTiles, count: number, span: LayerSpan): number =>
  count * tileCount(span.fanOut, t.gradients.units) * (tileCount(span.fanIn, t.gradients.inputs) + (hasBias(span) ? 1 : 0));

const range = (n: number): number[] => Array.from({ length: n }, (_, k) => k);
const lines = (n: number, f: (k: number) => string): string => range(n).map(f).join('\n');
const grid2 = (a: number, b: number, f: (r: number, c: number) => string): string =>
  range(a)
    .flatMap((r) => range(b).map((c) => f(r, c)))
    .join('\n');

/**
 * The tile's accumulators copied into a private array and stored in one loop over its elements
 * (`body` sees r, c and tile[e]): one copy of the store's code instead of one per element (an
 * activation is inlined wherever it is called, and 64 copies of each pass's stores doubled the
 * kernels' compile time on SwiftShader).
 */
function storeLoop(a: number, b: number, acc: string, body: string): string {
  const names = grid2(a, b, (r, c) => `${acc}${r}_${c}`).split('\n');
  return `  var tile = array<f32, ${a * b}>(${names.join(', ')});
  for (var e = 0u; e < ${a * b}u; e++) {
    let r = e / ${b}u;
    let c = e % ${b}u;
    ${body}
  }`;
}

const HEAD = `@compute @workgroup_size(WORKGROUP_SIZE)`;
const ARGS = `@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u`;

/** forward_layer: rows b0 … of particle j, output units o0 …; z and a of each stored where it exists. */
function forward({ rows: R, units: U }: TileShape): string {
  return `
// One invocation per (particle, ${R} rows, ${U} output units) of layer u.layer (generated by src/engine/batchedTiles.ts).
${HEAD}
fn forward_layer(${ARGS}) {
  let l = u.layer;
  let fan_in = LAYER_FAN_IN[l];
  let fan_out = LAYER_FAN_OUT[l];
  let out_tiles = (fan_out + ${U - 1}u) / ${U}u;
  let row_tiles = (u.rows + ${R - 1}u) / ${R}u;
  let id = linear_id(wid, nwg, lid);
  if (id >= u.count * row_tiles * out_tiles) { return; }
  let o0 = (id % out_tiles) * ${U}u;
  let jr = id / out_tiles;
  let b0 = (jr % row_tiles) * ${R}u;
  let j = jr / row_tiles;
  let i = u.particle_offset + j;
  if (particle_skipped(i)) { return; }
  let ps = u.param_stride;
${lines(U, (c) => `  let unit${c} = min(o0 + ${c}u, fan_out - 1u);`)}
${lines(U, (c) => `  var bias${c} = 0.0;`)}
  if (HAS_BIAS) {
${lines(U, (c) => `    bias${c} = particle_params[param_at(i, LAYER_B[l] + unit${c})];`)}
  }
${grid2(R, U, (r, c) => `  var s${r}_${c} = bias${c};`)}
${lines(U, (c) => `  var w${c} = param_at(i, LAYER_W[l] + unit${c} * fan_in);`)}
  let a_in = UNIT_OFFSET[l] + u.work_a;
${lines(R, (r) => `  var a${r} = a_in + unit_at(j, min(b0 + ${r}u, u.rows - 1u), 0u);`)}
  for (var x = 0u; x < fan_in; x++) {
${lines(U, (c) => `    let v${c} = particle_params[w${c}];`)}
${lines(R, (r) => `    let x${r} = work[a${r}];`)}
${grid2(R, U, (r, c) => `    s${r}_${c} = s${r}_${c} + v${c} * x${r};`)}
${lines(U, (c) => `    w${c} += ps;`)}
${lines(R, (r) => `    a${r} += 1u;`)}
  }
  let last = l + 1u == N_LAYERS;
  let out = unit_at(j, b0, UNIT_OFFSET[l + 1u] + o0);
${storeLoop(R, U, 's', 'if (b0 + r < u.rows && o0 + c < fan_out) { store_forward(out + r * N_UNITS + c, last, tile[e]); }')}
}
`;
}

/**
 * forward_layer with workgroup-memory tiles (as TF.js's and PyTorch's bmm): the workgroup's
 * WORKGROUP_SIZE invocations, side × side (workgroupSide), each a rows × units register tile, cover
 * a block of side·rows × side·units; per chunk of WG_K inputs the workgroup loads the block's activations and weights into workgroup
 * memory once, then each invocation sums its tile from there, inputs in order. An experiment
 * (docs/PERFORMANCE.md, item 32).
 */
function forwardWorkgroup(shape: TileShape): string {
  const { rows: R, units: U } = shape;
  const side = workgroupSide(shape);
  const BR = side * R;
  const BU = side * U;
  const K = WG_K;
  return `
var<workgroup> tile_a: array<f32, ${BR * K}>;
var<workgroup> tile_w: array<f32, ${BU * K}>;
${HEAD}
fn forward_layer(${ARGS}) {
  let l = u.layer;
  let fan_in = LAYER_FAN_IN[l];
  let fan_out = LAYER_FAN_OUT[l];
  let unit_blocks = (fan_out + ${BU - 1}u) / ${BU}u;
  let row_blocks = (u.rows + ${BR - 1}u) / ${BR}u;
  let g = wid.y * nwg.x + wid.x;
  if (g >= u.count * row_blocks * unit_blocks) { return; }
  let ub = (g % unit_blocks) * ${BU}u;
  let jr = g / unit_blocks;
  let rb = (jr % row_blocks) * ${BR}u;
  let j = jr / row_blocks;
  let i = u.particle_offset + j;
  let t = lid.x;
  let o0 = ub + (t % ${side}u) * ${U}u;
  let b0 = rb + (t / ${side}u) * ${R}u;
  let ta = (t / ${side}u) * ${R * K}u;
  let tw = (t % ${side}u) * ${U * K}u;
${lines(U, (c) => `  var bias${c} = 0.0;`)}
  if (HAS_BIAS) {
${lines(U, (c) => `    bias${c} = particle_params[param_at(i, LAYER_B[l] + min(o0 + ${c}u, fan_out - 1u))];`)}
  }
${grid2(R, U, (r, c) => `  var s${r}_${c} = bias${c};`)}
  let a_in = UNIT_OFFSET[l] + u.work_a;
  for (var k0 = 0u; k0 < fan_in; k0 += ${K}u) {
    let kn = min(${K}u, fan_in - k0);
    for (var e = t; e < ${BR * K}u; e += ${WORKGROUP_SIZE}u) {
      let x = min(k0 + e % ${K}u, fan_in - 1u);
      tile_a[e] = work[a_in + unit_at(j, min(rb + e / ${K}u, u.rows - 1u), x)];
    }
    for (var e = t; e < ${BU * K}u; e += ${WORKGROUP_SIZE}u) {
      let x = min(k0 + e % ${K}u, fan_in - 1u);
      tile_w[e] = particle_params[param_at(i, LAYER_W[l] + min(ub + e / ${K}u, fan_out - 1u) * fan_in + x)];
    }
    workgroupBarrier();
    for (var k = 0u; k < kn; k++) {
${lines(U, (c) => `      let v${c} = tile_w[tw + ${c * K}u + k];`)}
${lines(R, (r) => `      let x${r} = tile_a[ta + ${r * K}u + k];`)}
${grid2(R, U, (r, c) => `      s${r}_${c} = s${r}_${c} + v${c} * x${r};`)}
    }
    workgroupBarrier();
  }
  if (particle_skipped(i)) { return; }
  let last = l + 1u == N_LAYERS;
  let out = unit_at(j, b0, UNIT_OFFSET[l + 1u] + o0);
${storeLoop(R, U, 's', 'if (b0 + r < u.rows && o0 + c < fan_out) { store_forward(out + r * N_UNITS + c, last, tile[e]); }')}
}
`;
}

/** backward_layer: the deltas of input units x0 … of rows b0 …, each summed over the layer's outputs in order. */
function backward({ rows: R, units: U }: TileShape): string {
  return `
// One invocation per (particle, ${R} rows, ${U} input units of layer u.layer ≥ 1) (generated by src/engine/batchedTiles.ts).
${HEAD}
fn backward_layer(${ARGS}) {
  let l = u.layer;
  let fan_in = LAYER_FAN_IN[l];
  let fan_out = LAYER_FAN_OUT[l];
  let in_tiles = (fan_in + ${U - 1}u) / ${U}u;
  let row_tiles = (u.rows + ${R - 1}u) / ${R}u;
  let id = linear_id(wid, nwg, lid);
  if (id >= u.count * row_tiles * in_tiles) { return; }
  let x0 = (id % in_tiles) * ${U}u;
  let jr = id / in_tiles;
  let b0 = (jr % row_tiles) * ${R}u;
  let j = jr / row_tiles;
  let i = u.particle_offset + j;
  if (particle_skipped(i)) { return; }
  let step = fan_in * u.param_stride;
${lines(U, (c) => `  var w${c} = param_at(i, LAYER_W[l] + min(x0 + ${c}u, fan_in - 1u));`)}
  let d_out = UNIT_OFFSET[l + 1u] + u.work_delta;
${lines(R, (r) => `  var d${r} = d_out + unit_at(j, min(b0 + ${r}u, u.rows - 1u), 0u);`)}
${grid2(R, U, (r, c) => `  var s${r}_${c} = 0.0;`)}
  for (var o = 0u; o < fan_out; o++) {
${lines(U, (c) => `    let v${c} = particle_params[w${c}];`)}
${lines(R, (r) => `    let e${r} = work[d${r}];`)}
${grid2(R, U, (r, c) => `    s${r}_${c} = s${r}_${c} + v${c} * e${r};`)}
${lines(U, (c) => `    w${c} += step;`)}
${lines(R, (r) => `    d${r} += 1u;`)}
  }
  let unit = unit_at(j, b0, UNIT_OFFSET[l] + x0);
${storeLoop(R, U, 's', 'if (b0 + r < u.rows && x0 + c < fan_in) { store_backward(unit + r * N_UNITS + c, tile[e]); }')}
}
`;
}

/** gradients: output units o0 … × inputs x0 … of one layer (or, in the bias column, the biases of o0 …), summed over the rows in order. */
function gradients({ units: U, inputs: I }: GradientTile): string {
  return `
// One invocation per (particle, ${U} output units, ${I} input units) of layer u.layer, plus, with biases, one per
// (particle, ${U} output units) for the biases (generated by src/engine/batchedTiles.ts).
${HEAD}
fn gradients(${ARGS}) {
  let l = u.layer;
  let fan_in = LAYER_FAN_IN[l];
  let fan_out = LAYER_FAN_OUT[l];
  let in_tiles = (fan_in + ${I - 1}u) / ${I}u + select(0u, 1u, HAS_BIAS);
  let out_tiles = (fan_out + ${U - 1}u) / ${U}u;
  let id = linear_id(wid, nwg, lid);
  if (id >= u.count * out_tiles * in_tiles) { return; }
  let xt = id % in_tiles;
  let jo = id / in_tiles;
  let o0 = (jo % out_tiles) * ${U}u;
  let j = jo / out_tiles;
  let i = u.particle_offset + j;
  if (particle_skipped(i)) { return; }
  let at = u.work_extra + j * N_PARAMS;
  let continued = u.row_first != 0u;
  let scale = select(1.0, 1.0 / f32(u.batch_rows), u.row_first + u.rows == u.batch_rows);
${lines(U, (c) => `  let out${c} = UNIT_OFFSET[l + 1u] + min(o0 + ${c}u, fan_out - 1u);`)}
  if (HAS_BIAS && xt == in_tiles - 1u) {
    let k = at + LAYER_B[l] + o0;
${lines(U, (c) => `    var g${c} = 0.0;`)}
    if (continued) {
${lines(U, (c) => `      if (o0 + ${c}u < fan_out) { g${c} = work[k + ${c}u]; }`)}
    }
    var d = u.work_delta + unit_at(j, 0u, 0u);
    for (var b = 0u; b < u.rows; b++) {
${lines(U, (c) => `      g${c} = g${c} + work[d + out${c}];`)}
      d += N_UNITS;
    }
${lines(U, (c) => `    if (o0 + ${c}u < fan_out) { store_gradient(j, k + ${c}u, g${c}, scale); }`)}
    return;
  }
  let x0 = xt * ${I}u;
${lines(I, (c) => `  let input${c} = UNIT_OFFSET[l] + min(x0 + ${c}u, fan_in - 1u);`)}
  let k = at + LAYER_W[l] + o0 * fan_in + x0;
  var sums = array<f32, ${U * I}>();
  if (continued) {
    for (var e = 0u; e < ${U * I}u; e++) {
      let r = e / ${I}u;
      let c = e % ${I}u;
      if (o0 + r < fan_out && x0 + c < fan_in) { sums[e] = work[k + r * fan_in + c]; }
    }
  }
${grid2(U, I, (r, c) => `  var g${r}_${c} = sums[${r * I + c}];`)}
  var row = unit_at(j, 0u, 0u);
  for (var b = 0u; b < u.rows; b++) {
    let d = u.work_delta + row;
    let a = u.work_a + row;
${lines(U, (r) => `    let e${r} = work[d + out${r}];`)}
${lines(I, (c) => `    let v${c} = work[a + input${c}];`)}
${grid2(U, I, (r, c) => `    g${r}_${c} = g${r}_${c} + e${r} * v${c};`)}
    row += N_UNITS;
  }
${storeLoop(U, I, 'g', 'if (o0 + r < fan_out && x0 + c < fan_in) { store_gradient(j, k + r * fan_in + c, tile[e], scale); }')}
}
`;
}

/** The forward pass's tile kernel (evaluation, the prior sampler) or the trainer's three. */
export function batchedTileKernels(t: BatchedTiles, passes: 'forward' | 'train'): string {
  const f = t.workgroup ? forwardWorkgroup(t.forward) : forward(t.forward);
  return passes === 'forward' ? f : f + backward(t.backward) + gradients(t.gradients);
}
