// system:tasks — the tasks and the model families that train them, as src/tasks/ and the
// registry in src/models/ declare them: the one list the UI and the CLI show, so a new task or
// family appears everywhere without a hard-coded list to update.
import type { Task } from './common.js';
import { Empty, method } from './common.js';
import type { PRESETS } from './runs.js';
import type { TaskTraits } from './task-traits.js';

export { TASK_TRAITS, type TaskTraits } from './task-traits.js';

/** A model family a task trains. */
export interface FamilyInfo {
  id: string;
  title: string;
  description: string;
  /** the presets its `resolve` fills defaults from */
  presets: ReadonlyArray<(typeof PRESETS)[number]>;
}

/** What the UI and the CLI need to know of a task, instead of branching on its id. */
export interface TaskInfo extends TaskTraits {
  id: Task;
  /** its families, the default first */
  families: FamilyInfo[];
}

export const taskMethods = {
  'system:tasks': method<TaskInfo[]>()(Empty),
};
