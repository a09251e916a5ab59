// What an engine task is: `fn(input, ctx)` run in the engine process. Its own file so the tasks
// (tasks/*, batch/*) and the table that loads them (engine-tasks.ts) do not import each other.
import type { TaskContext } from '../common/reporter.js';
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
