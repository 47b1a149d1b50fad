import { describeValue } from '../../describe';
import { HYPERMAP_OUTCOMES, MAX_HYPERMAP_RES } from './hypermapPlan';

/**
 * Checks every field of a hyper map's JSON that the picture and merge read, as read from a file a
 * user may have edited: the picture of a map whose `counts` are numbers, or whose `x.min` is null,
 * would otherwise fail deep inside the drawing (after training, with nothing written), and a merge
 * would sum strings. Returns why the map cannot be used, in one line naming the field, or
 * undefined. `cells`: how many cells the per-cell lists hold (res² for a whole map, a shard's block).
 */
type Doc = Record<string, unknown>;
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number, max: number): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const isFinite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Most classes a map's cells count: the outcome classes of a task of MAX_CLASSES hypotheses, and more. */
const MAX_MAP_CLASSES = 256;

function axisProblem(name: string, a: unknown): string | undefined {
  if (a === undefined) return undefined;
  if (!isObject(a) || typeof a.name !== 'string' || !isFinite(a.min) || !isFinite(a.max) || typeof a.log !== 'boolean')
    return `"${name}" must be an axis {name, min, max, log} with finite min and max, got ${describeValue(a)}`;
  if (a.log && !(a.min > 0 && a.max > 0)) return `"${name}" is a log axis: its min and max must be positive, got ${a.min} and ${a.max}`;
  if (a.min === a.max) return `"${name}": min and max must differ, got ${a.min} for both`;
  return undefined;
}

/** Per-cell lists: `cells` entries, each a number or null. */
function perCellNumbers(name: string, v: unknown, cells: number): string | undefined {
  if (!Array.isArray(v) || v.length !== cells) return `"${name}" must list ${cells} cells, got ${describeValue(v)}`;
  const k = v.findIndex((x) => x !== null && !isFinite(x));
  return k < 0 ? undefined : `${name}[${k}] must be a number or null, got ${describeValue(v[k])}`;
}

export function hypermapDataProblem(doc: unknown, cells?: number): string | undefined {
  if (!isObject(doc)) return `a hyper map must be a JSON object, got ${describeValue(doc)}`;
  if (!isInt(doc.res, 2, MAX_HYPERMAP_RES)) return `"res" must be an integer from 2 to ${MAX_HYPERMAP_RES}, got ${describeValue(doc.res)}`;
  const count = cells ?? doc.res * doc.res;
  const classes = doc.classes;
  if (!Array.isArray(classes) || classes.length === 0 || classes.length > MAX_MAP_CLASSES || !classes.every((c) => typeof c === 'string'))
    return `"classes" must be a list of 1 to ${MAX_MAP_CLASSES} class names, got ${describeValue(classes)}`;
  if ('outcome' in doc && !(HYPERMAP_OUTCOMES as readonly unknown[]).includes(doc.outcome))
    return `"outcome" must be one of ${HYPERMAP_OUTCOMES.join(', ')}, got ${describeValue(doc.outcome)}`;
  const perCell = doc.perCell;
  if ('perCell' in doc && !isInt(perCell, 1, 2 ** 20)) return `"perCell" must be a positive integer, got ${describeValue(perCell)}`;
  const counts = doc.counts;
  if (!Array.isArray(counts) || counts.length !== count) return `"counts" must list ${count} cells, got ${describeValue(counts)}`;
  for (let k = 0; k < count; k++) {
    const cell: unknown = counts[k];
    if (!Array.isArray(cell) || cell.length !== classes.length || !cell.every((n) => isInt(n, 0, 2 ** 20)))
      return `counts[${k}] must be ${classes.length} counts (one per class, integers ≥ 0), got ${describeValue(cell)}`;
    // a cell holds its K particles, each of one class: a count of 999 in a cell of 2 is a tampered file
    const sum = (cell as number[]).reduce((a, b) => a + b, 0);
    if (perCell !== undefined && sum !== perCell)
      return `counts[${k}] sums to ${sum} but each cell holds ${String(perCell)} particles (perCell)`;
    if (perCell === undefined && sum === 0) return `counts[${k}] counts no particle`;
  }
  return (
    perCellNumbers('meanLoss', doc.meanLoss, count) ??
    ('meanScore' in doc ? perCellNumbers('meanScore', doc.meanScore, count) : undefined) ??
    axisProblem('x', doc.x) ??
    axisProblem('y', doc.y)
  );
}

/** Why a map cannot be drawn coloured by `colouring`: the score is trainability's loss ratio, which a classes map has not. */
export function colouringProblem(colouring: string, outcome: unknown): string | undefined {
  if (colouring === 'score' && outcome !== 'trainability')
    return '--colour score needs --outcome trainability (the score is its loss ratio)';
  return undefined;
}
