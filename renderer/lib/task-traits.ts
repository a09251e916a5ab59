// A task's traits for the views: the contract's plain data (src/contract/task-traits.ts), so a
// form asks "does this task read two datasets?" rather than "is it cyclegan?".
import { TASK_TRAITS, type TaskTraits } from '../../src/contract/task-traits.js';
import type { Task } from '../../src/contract/index.js';

export type { TaskTraits };

/** The traits of `task`; undefined for no task (an item or run that names none). */
export function traitsOf(task: Task | null | undefined): TaskTraits | undefined {
  return task ? TASK_TRAITS[task] : undefined;
}
