// Every task, by id: the one place that lists them. Adding a task is a folder beside these, one
// line here and one entry in the contract's TASKS (src/contract/common.ts); tsc then names every
// field the new definition still lacks.
import type { Task } from '../contract/common.js';
import type { BatchSource } from '../data/types.js';
import type { ResolvedSpec } from '../models/types.js';
import type { Workspace } from '../workspace/workspace.js';
import { cycleganTask } from './cyclegan/index.js';
import { generateTask } from './generate/index.js';
import { superresTask } from './superres/index.js';
import type { SourceArgs, SourceBuilder, TaskDefinition } from './types.js';

export const TASK_DEFINITIONS: Readonly<Record<Task, TaskDefinition>> = {
  generate: generateTask,
  superres: superresTask,
  cyclegan: cycleganTask,
};

export function taskDefinition(task: Task): TaskDefinition {
  return TASK_DEFINITIONS[task];
}

/** The BatchSource a task's training run reads. */
export function getSourceBuilder(task: Task): SourceBuilder {
  return taskDefinition(task).trainSource;
}

export function buildTrainSource(ws: Workspace | null, spec: ResolvedSpec, args: SourceArgs): Promise<BatchSource> {
  return getSourceBuilder(spec.task)(ws, spec, args);
}

export type { BatchModel, FrozenBatch, ItemProcessor, SourceArgs, SourceBuilder, TaskDefinition } from './types.js';
