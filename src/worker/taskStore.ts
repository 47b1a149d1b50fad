import { outcomeClasses } from '../core/classify';
import { UserError } from '../core/errors';
import { taskOutputs, type Task } from '../core/task';
import { parseTaskCsv, parseTaskJson } from '../core/taskFile';
import { findPreset } from '../core/tasks/index';
import type { DroppedFile, TaskInfo } from './protocol';

export const FILE_PREFIX = 'file:';

export function describeTask(id: string, task: Task): TaskInfo {
  return {
    id,
    name: task.name,
    description: task.description,
    inputs: task.inputs,
    classes: task.classes,
    outputs: taskOutputs(task),
    trainRows: task.train.rows,
    probes: task.probes.map((p) => p.name),
    outcomeClasses: outcomeClasses(task),
  };
}

const baseName = (name: string) => name.replace(/\.[^.]*$/, '');

/**
 * Tasks by id: presets built from their knobs on demand, and task files the user dropped, kept
 * for the life of the page (a link cannot carry them).
 */
export class TaskStore {
  private readonly files = new Map<string, Task>();

  /** Parses dropped files: one JSON task, or a training CSV (train*.csv) plus one CSV per probe set. */
  load(dropped: readonly DroppedFile[]): TaskInfo {
    if (dropped.length === 0) throw new UserError('no file was dropped');
    const json = dropped.filter((f) => /\.json$/i.test(f.name));
    const csv = dropped.filter((f) => /\.csv$/i.test(f.name));
    let task: Task;
    let id: string;
    if (json.length === 1 && dropped.length === 1) {
      task = parseTaskJson(json[0].text, json[0].name);
      id = FILE_PREFIX + json[0].name;
    } else if (csv.length === dropped.length) {
      const train = csv.filter((f) => /^train/i.test(f.name));
      if (train.length !== 1) {
        throw new UserError(
          `CSV task: drop one training file named train*.csv together with one CSV per probe set (named after the probe); got ${dropped.map((f) => f.name).join(', ')}`,
        );
      }
      const probes = Object.fromEntries(csv.filter((f) => f !== train[0]).map((f) => [baseName(f.name), f.text]));
      if (Object.keys(probes).length === 0)
        throw new UserError(
          `CSV task: ${train[0].name} needs at least one probe set beside it: drop one more CSV per hypothesis, named after it (e.g. colour.csv)`,
        );
      task = parseTaskCsv(train[0].text, probes, train[0].name);
      id = FILE_PREFIX + csv.map((f) => f.name).join('+');
    } else {
      throw new UserError(
        `task files must be one .json file, or .csv files (train*.csv plus one per probe set); got ${dropped.map((f) => f.name).join(', ')}`,
      );
    }
    this.files.set(id, task);
    return describeTask(id, task);
  }

  get(id: string, knobs: Record<string, number>): Task {
    if (id.startsWith(FILE_PREFIX)) {
      const task = this.files.get(id);
      if (!task) throw new UserError(`task file ${id.slice(FILE_PREFIX.length)} is not loaded in this page: drop it again`);
      return task;
    }
    const preset = findPreset(id);
    if (!preset) throw new UserError(`unknown task "${id}"`);
    return preset.build(knobs);
  }
}
