import { taskLoss, taskOutputs, taskSets, type Task } from '../core/task';
import type { DeviceBuffers } from './deviceBuffers';

/** A task's data on the device: every set's rows in one buffer, train first, then the probes. */
export interface TaskData {
  readonly x: GPUBuffer;
  /** class labels (u32 per row), or a regression task's f32 targets [row][outputs] as their bits */
  readonly y: GPUBuffer;
  /** (first row, rows) of each set */
  readonly setRows: GPUBuffer;
  readonly sets: number;
}

interface Upload {
  readonly key: string;
  readonly data: TaskData;
  users: number;
}

/**
 * Task data uploaded once per content, not once per Task object: the sandbox builds its preset's
 * Task anew for every run, and an upload per object grew without bound. Users acquire and release
 * an upload; the last one released stays (the next run usually wants the same task) until
 * another takes its place.
 */
export class TaskUploads {
  private readonly uploads = new Map<string, Upload>();
  private idle: Upload | undefined;
  private readonly keys = new WeakMap<Task, string>();

  constructor(private readonly buffers: DeviceBuffers) {}

  acquire(task: Task): TaskData {
    const sets = taskSets(task);
    // hashed once per Task object: every evaluation acquires, and a sandbox run evaluates each frame
    let key = this.keys.get(task);
    const targets = taskLoss(task) === 'mse' ? taskOutputs(task) : 0;
    if (key === undefined) this.keys.set(task, (key = contentKey(task.inputs, targets, sets)));
    let upload = this.uploads.get(key);
    if (!upload) {
      upload = { key, data: this.upload(task.name, task.inputs, targets, sets), users: 0 };
      this.uploads.set(key, upload);
    }
    if (this.idle === upload) this.idle = undefined;
    upload.users++;
    return upload.data;
  }

  release(data: TaskData): void {
    const upload = [...this.uploads.values()].find((u) => u.data === data);
    if (!upload || --upload.users > 0) return;
    if (this.idle) this.drop(this.idle);
    this.idle = upload;
  }

  /** Drops every upload; the buffers go with the engine's. */
  clear(): void {
    this.uploads.clear();
    this.idle = undefined;
  }

  private drop(upload: Upload): void {
    this.uploads.delete(upload.key);
    this.buffers.release(upload.data.x, upload.data.y, upload.data.setRows);
  }

  /** `targets`: a regression task's targets per row, 0 for class labels. */
  private upload(name: string, inputs: number, targets: number, sets: ReturnType<typeof taskSets>): TaskData {
    const rows = sets.reduce((n, s) => n + s.rows, 0);
    const x = new Float32Array(rows * inputs);
    const y = new Uint32Array(targets > 0 ? rows * targets : rows);
    const yF32 = new Float32Array(y.buffer);
    const setRows = new Uint32Array(sets.length * 2);
    let r = 0;
    sets.forEach((s, i) => {
      x.set(s.x, r * inputs);
      if (targets > 0) yF32.set(labelsOf(s, targets), r * targets);
      else y.set(s.y, r);
      setRows[2 * i] = r;
      setRows[2 * i + 1] = s.rows;
      r += s.rows;
    });
    return {
      x: this.buffers.storage(`${name} inputs`, x),
      y: this.buffers.storage(`${name} labels`, y),
      setRows: this.buffers.storage(`${name} set rows`, setRows),
      sets: sets.length,
    };
  }
}

/** A regression set's targets, [rows][targets]; a set without them is refused here, before any upload. */
function labelsOf(s: ReturnType<typeof taskSets>[number], targets: number): Float32Array {
  if (!s.targets || s.targets.length !== s.rows * targets) throw new Error(`a regression set needs ${s.rows * targets} targets`);
  return s.targets;
}

/** Two 32-bit FNV-1a hashes of the bytes of every set, with the shapes: equal keys, equal data. */
function contentKey(inputs: number, targets: number, sets: ReturnType<typeof taskSets>): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ inputs;
  const mix = (words: Uint32Array) => {
    for (let k = 0; k < words.length; k++) {
      h1 = Math.imul(h1 ^ words[k], 0x01000193);
      h2 = Math.imul(h2 ^ words[k], 0x5bd1e995) ^ (h2 >>> 15);
    }
  };
  for (const s of sets) {
    mix(new Uint32Array(s.x.buffer, s.x.byteOffset, s.x.length));
    mix(new Uint32Array(s.y.buffer, s.y.byteOffset, s.y.length));
    if (targets > 0) {
      const t = labelsOf(s, targets);
      mix(new Uint32Array(t.buffer, t.byteOffset, t.length));
    }
  }
  return `${inputs}:${targets}:${sets.map((s) => s.rows).join(',')}:${(h1 >>> 0).toString(16)}${(h2 >>> 0).toString(16)}`;
}
