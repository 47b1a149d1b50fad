import { describeValue } from './describe';
import { RECORD_CURVES_MAX } from './results';

/**
 * Every field of a train shard's particles that merge reads or recomputes from (the record's
 * settings, each particle's metrics, the steps it reached the threshold, its curves), checked as
 * read from a file a user may have edited: a tampered value is one line naming the file and the
 * field, never an internal error or a quantile computed from a string. Returns the problem or
 * undefined; the caller names the file.
 */
type Doc = Record<string, unknown>;
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumberOrNull = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));
const isStepOrNull = (v: unknown) => v === null || (Number.isInteger(v) && (v as number) >= 0);

/** The names of the task's probes, as the shard's "task" lists them. */
export function probeNames(doc: Doc): string[] | string {
  const probes = isObject(doc.task) ? doc.task.probes : undefined;
  if (!Array.isArray(probes) || !probes.every((p) => typeof p === 'string'))
    return `task.probes must be a list of probe names, got ${describeValue(probes)}`;
  return probes as string[];
}

/** `record`'s settings: the recording interval, the recorded steps and the threshold. */
export function recordSettingsProblem(record: unknown): string | undefined {
  if (!isObject(record)) return `"record" must be an object {every, steps, reachedAt, …}, got ${describeValue(record)}`;
  const { every, steps, reachedAt } = record;
  if (!Number.isInteger(every) || (every as number) < 1) return `record.every must be a positive integer, got ${describeValue(every)}`;
  if (!Array.isArray(steps) || steps.length === 0 || !steps.every((t, i) => Number.isInteger(t) && t >= 0 && (i === 0 || t > steps[i - 1])))
    return `record.steps must be a list of increasing step numbers, got ${describeValue(steps)}`;
  if (typeof reachedAt !== 'number' || !(reachedAt >= 0 && reachedAt <= 1))
    return `record.reachedAt must be a number from 0 to 1, got ${describeValue(reachedAt)}`;
  return undefined;
}

function curvesProblem(where: string, c: unknown, steps: number): string | undefined {
  if (!isObject(c)) return `${where} must be curves {loss, acc}, got ${describeValue(c)}`;
  for (const metric of ['loss', 'acc'] as const) {
    const v = c[metric];
    if (!Array.isArray(v) || v.length !== steps)
      return `${where}.${metric} must list ${steps} values (one per recorded step), got ${describeValue(v)}`;
    const k = v.findIndex((x) => !isNumberOrNull(x));
    if (k >= 0) return `${where}.${metric}[${k}] must be a number or null, got ${describeValue(v[k])}`;
  }
  return undefined;
}

/** One particle's fields beyond its index and outcome; `record`: the shard's checked record, if it recorded. */
export function particleProblem(p: Doc, probes: readonly string[], record: Doc | undefined, shardSize: number): string | undefined {
  const at = `particles[index ${String(p.index)}]`;
  for (const k of ['trainLoss', 'trainAcc'])
    if (!isNumberOrNull(p[k])) return `${at}.${k} must be a number or null, got ${describeValue(p[k])}`;
  const metrics = p.probes;
  if (!isObject(metrics)) return `${at}.probes must hold each probe's {loss, acc}, got ${describeValue(metrics)}`;
  for (const n of probes) {
    const m = metrics[n];
    if (!isObject(m) || !isNumberOrNull(m.loss) || !isNumberOrNull(m.acc))
      return `${at}.probes.${n} must be {loss, acc}, numbers or null, got ${describeValue(m)}`;
  }
  if (!record) return undefined;
  const steps = p.steps;
  if (
    !isObject(steps) ||
    !isStepOrNull(steps.train) ||
    !isObject(steps.probe) ||
    !probes.every((n) => isStepOrNull((steps.probe as Doc)[n]))
  )
    return `${at}.steps must be {train, probe: {${probes.join(', ')}}}, each a step number or null, got ${describeValue(steps)}`;
  // a shard of up to RECORD_CURVES_MAX particles writes every particle's curves; a larger one none
  const count = (record.steps as number[]).length;
  if (shardSize > RECORD_CURVES_MAX) return 'record' in p ? `${at}.record: a shard of ${shardSize} particles writes no curves` : undefined;
  const curves = p.record;
  if (!isObject(curves))
    return `${at}.record must hold the particle's curves (a shard of ${shardSize} particles writes them), got ${describeValue(curves)}`;
  const train = curvesProblem(`${at}.record.train`, curves.train, count);
  if (train) return train;
  if (!isObject(curves.probes)) return `${at}.record.probes must hold each probe's curves, got ${describeValue(curves.probes)}`;
  for (const n of probes) {
    const problem = curvesProblem(`${at}.record.probes.${n}`, curves.probes[n], count);
    if (problem) return problem;
  }
  return undefined;
}
