// The tasks the engine process runs, by name. Each is `fn(input, ctx)` and is loaded lazily, so
// the engine imports tfjs and a family's code only when a job needs them.
import { AppError } from '../contract/errors.js';
import type { TaskContext } from './reporter.js';
import type { OutputNote, TaskOutcome } from './protocol.js';

export interface EngineTaskContext extends TaskContext {
  jobId: string;
  /** workspace root: tasks open their own catalog handle */
  workspace: string;
  /** aborted only by cancel; a pause lets the current item (image, tile) finish */
  cancelSignal: AbortSignal;
  /** reports a produced picture so the host can add it to the gallery */
  output(note: OutputNote): void;
}

export type EngineTask = (input: unknown, ctx: EngineTaskContext) => Promise<TaskOutcome>;

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

/**
 * Imports a module another part of the app provides, by path relative to src/jobs/. A module
 * that has not been built yet becomes BACKEND_UNAVAILABLE with a clear message, not a crash.
 */
export async function importOptional<T>(relative: string, what: string): Promise<T> {
  const url = new URL(relative, import.meta.url).href;
  try {
    return (await import(url)) as T;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // only the module itself missing means "not built"; a missing import inside it is a real bug
    const missing = /Cannot find (?:module|package) '([^']+)'/.exec(String((error as Error).message))?.[1] ?? '';
    if (code === 'ERR_MODULE_NOT_FOUND' && missing.endsWith(relative.replace(/^(\.\.\/)+/, ''))) {
      throw new AppError('BACKEND_UNAVAILABLE', `${what}: not built yet (${relative} is missing from this build)`);
    }
    throw error;
  }
}
