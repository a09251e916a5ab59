// The tasks the engine process runs, by name. Each is `fn(input, ctx)` and is loaded lazily, so
// the engine imports tfjs and a family's code only when a job needs them.
import { AppError } from '../contract/errors.js';
import type { EngineTask } from './engine-task.js';

const loaders: Record<string, () => Promise<EngineTask>> = {
  train: async () => (await import('./tasks/train-task.js')).trainTask,
  batch: async () => (await import('./batch/batch-task.js')).batchTask,
  generate: async () => (await import('./tasks/generate-task.js')).generateTask,
  interpolate: async () => (await import('./tasks/generate-task.js')).interpolateTask,
  'export-model': async () => (await import('./tasks/export-task.js')).exportTask,
  /** counts with a delay, checkpointing a cursor: exercises queue, pause, cancel and crashes */
  'diagnostic:count': async () => (await import('./tasks/count-task.js')).countTask,
};

export const ENGINE_TASKS = Object.keys(loaders);

export async function loadEngineTask(name: string): Promise<EngineTask> {
  const load = loaders[name];
  if (!load) throw new AppError('INVALID_ARGUMENT', `unknown engine task "${name}"; known: ${ENGINE_TASKS.join(', ')}`);
  return load();
}
