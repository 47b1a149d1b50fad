/**
 * What of a command's result the report keeps beside it (docs/findings-results.json): everything,
 * except that a large ensemble's per-particle list would make the file tens of megabytes, so past
 * KEPT_PARTICLES particles it is dropped, or cut to the fields its command names (`particleFields`);
 * and the file's text (cacheText).
 */

/** The most particles whose every field is kept. */
export const KEPT_PARTICLES = 64;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `value` cut to the dotted `paths` (`record.train.acc` keeps that array and the objects around
 * it, nothing else of `record`); a path the value lacks is left out, never added as undefined.
 */
export function pickPaths(value: Json, paths: readonly string[]): Json {
  const out: Json = {};
  for (const path of paths) {
    const keys = path.split('.');
    const last = keys.pop()!;
    // the object that holds the last key, if every key on the way is an object's
    const holder = keys.reduce<unknown>((v, key) => (isObject(v) ? v[key] : undefined), value);
    if (!isObject(holder) || !(last in holder)) continue;
    let to = out;
    for (const key of keys) to = (isObject(to[key]) ? to[key] : (to[key] = {})) as Json;
    to[last] = holder[last];
  }
  return out;
}

/**
 * The result as kept: whole up to KEPT_PARTICLES particles; past that, each particle cut to
 * `particleFields` (what the section reads of it, dotted paths), or the list dropped without
 * them, the totals being all a section reads of a large ensemble.
 */
export function summaryOf(json: Json, particleFields?: readonly string[]): Json {
  if (!Array.isArray(json.particles) || json.particles.length <= KEPT_PARTICLES) return json;
  const { particles, ...rest } = json;
  if (particleFields === undefined) return rest;
  return { ...rest, particles: (particles as unknown[]).map((p) => (isObject(p) ? pickPaths(p, particleFields) : p)) };
}

/**
 * The kept results as text: a line per command and per field of its result, each value compact.
 * A hyper map's per-cell lists stay on one line each instead of a line per number, so a 128² map
 * costs a few hundred kilobytes, and a diff still shows which command's which field changed.
 */
export function cacheText(cache: Record<string, Record<string, unknown>>): string {
  const entries = Object.entries(cache).map(([line, json]) => {
    const fields = Object.entries(json).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
    return ` ${JSON.stringify(line)}: {\n${fields.join(',\n')}\n }`;
  });
  return `{\n${entries.join(',\n')}\n}\n`;
}
