// What a task is: everything the app does differently for generate, superres or cyclegan, in one
// object per task (src/tasks/<id>/index.ts). The layers above (jobs, handlers, cli) ask the task
// instead of branching on its name, so adding a task is one folder, one line in ./index.ts and
// one entry in the contract's TASKS.
//
// A definition module is cheap to import (no tfjs, no sharp): the heavy parts — training
// sources, model loading, per-item work — are `await import(...)`ed inside the functions.
import type { BatchSpec } from '../contract/batch.js';
import type { Task } from '../contract/common.js';
import type { ModelSidecar } from '../contract/models.js';
import { AppError } from '../contract/errors.js';
import type { TrainSpec } from '../contract/runs.js';
import type { TaskTraits } from '../contract/tasks.js';
import type { TaskContext } from '../common/reporter.js';
import type { BatchSource } from '../data/types.js';
import type { ResolvedSpec } from '../models/types.js';
import type { Workspace } from '../workspace/workspace.js';

export interface SourceArgs {
  /** --data as given when no workspace dataset stands for it (a plain folder) */
  data?: string;
  dataA?: string;
  dataB?: string;
  ctx: TaskContext;
}

/**
 * `ws` is null when the caller has no workspace (the folder fallback); builders then read
 * args.data / dataA / dataB as folders. With a workspace, spec.datasetId (A/B) name datasets.
 */
export type SourceBuilder = (ws: Workspace | null, spec: ResolvedSpec, args: SourceArgs) => Promise<BatchSource>;

/** The model a batch uses, resolved by the host when queued. */
export interface BatchModel {
  /** 'folder': a run or model folder the catalog does not list (`train --out`), named by the CLI;
   *  'file': a model file named by its path (.safetensors, .onnx), run without an imported copy */
  kind: 'run' | 'pretrained' | 'imported' | 'folder' | 'file';
  id: string;
  /** run folder, imported model folder, or the model file's path */
  dir?: string;
}

export type FrozenBatch = BatchSpec & { resolvedModel: BatchModel; maxPixels: number; outDir: string; jobDir: string };

/** One batch item's work: read `input` (null for seed-made items), write `output`. */
export type ItemProcessor = ((input: string | null, output: string, item: { seq: number }, ctx: TaskContext) => Promise<void>) & {
  /** what the processor loaded, as the job's log names it: "esrgan-slim ×2", "<run folder> (step-000400)" */
  readonly loaded?: string;
};

/** A task: its traits (src/contract/tasks.ts, plain data the UI reads too) and the code behind them. */
export interface TaskDefinition extends Readonly<TaskTraits> {
  readonly id: Task;
  /** the run's data, as runs:start receives it: throws INVALID_ARGUMENT naming what is missing */
  checkRunData(spec: Pick<TrainSpec, 'datasetId' | 'datasetA' | 'datasetB'>): void;
  /** a batch's task-specific fields (inputs given, count, direction): throws INVALID_ARGUMENT */
  checkBatch(spec: Pick<BatchSpec, 'count' | 'direction'>, inputs: readonly string[]): void;
  /** what the job lists show: "Upscale ×4 with esrgan-slim: 40 files" */
  batchTitle(spec: Pick<BatchSpec, 'scale' | 'direction'>, model: string, count: number): string;
  /** the BatchSource a training run reads */
  trainSource: SourceBuilder;
  /** loads the model a batch names (run, imported or pretrained) and returns the per-item work */
  batchProcessor(spec: FrozenBatch): Promise<ItemProcessor>;
  /** the networks `models export` writes, each into a subfolder ('' = the folder itself) */
  readonly exportNetworks: ReadonlyArray<{ network: string; folder: string }>;
  /** what the exported model's sidecar adds for this task (scale, directions) */
  exportSidecar(spec: ResolvedSpec): Partial<ModelSidecar>;
}

/** The error every image-reading task gives for a batch without inputs. */
export function requireBatchInputs(task: Task, inputs: readonly string[]): void {
  if (!inputs.length) throw new AppError('INVALID_ARGUMENT', `a ${task} batch needs at least one input file, folder or zip`);
}
