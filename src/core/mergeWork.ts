import type { Shard } from './mergeKind';

/**
 * What every merged result says of the shards' work, whatever their kind: the engine ("mixed" when
 * shards ran on both), the distinct devices joined, the seconds summed, and each shard's file,
 * slice, engine, device and seconds.
 */
export function shardWork(shards: readonly Shard[]) {
  const engines = new Set(shards.map((s) => String(s.doc.engine)));
  return {
    engine: engines.size === 1 ? [...engines][0] : 'mixed',
    device: [...new Set(shards.map((s) => String(s.doc.device)))].join(' + '),
    // compute time: the shards ran apart, perhaps at once; this is their sum, not a wall-clock time
    seconds: shards.reduce((sum, s) => sum + (typeof s.doc.seconds === 'number' ? s.doc.seconds : 0), 0),
    shards: shards.map((s) => ({
      file: s.name,
      ...s.shard,
      engine: s.doc.engine,
      device: s.doc.device,
      seconds: s.doc.seconds,
    })),
  };
}
