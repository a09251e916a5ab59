import { z } from 'zod';
import { Empty, Id, RunRefText, Task, method } from './common.js';
import { BackendPref } from './system.js';
import type { ControlAnswer } from './jobs.js';

export const GEN_MODELS = ['vanilla', 'dcgan'] as const;
/** The trainable model families of each task (src/models/ registers them; a test keeps both in step).
 *  The UI and the CLI read the list from system:tasks, which asks the registry itself. */
export const MODELS_BY_TASK = { generate: GEN_MODELS, superres: ['esrgan'], cyclegan: ['cyclegan'] } as const satisfies Record<Task, readonly string[]>;

export const LOSSES = ['bce', 'lsgan', 'hinge'] as const;
export const PRESETS = ['tiny', 'small', 'default'] as const;

/**
 * Everything that defines a training run. Frozen when the run starts and hashed into
 * checkpoints, so a resume with a different spec is refused.
 */
export const TrainSpec = z.object({
  task: Task,
  /** model id from the registry: vanilla | dcgan | esrgan | cyclegan */
  model: z.string().min(1).max(64),
  preset: z.enum(PRESETS).default('default'),
  /** dataset id (generate, superres) */
  datasetId: Id.optional(),
  /** dataset ids for the two CycleGAN domains */
  datasetA: Id.optional(),
  datasetB: Id.optional(),
  size: z.number().int().min(8).max(512).optional(),
  channels: z.union([z.literal(1), z.literal(3)]).optional(),
  scale: z.union([z.literal(2), z.literal(3), z.literal(4)]).optional(),
  steps: z.number().int().min(1).max(10_000_000).optional(),
  batch: z.number().int().min(1).max(1024).optional(),
  loss: z.enum(LOSSES).optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  lr: z.number().positive().max(1).optional(),
  diffAugment: z.boolean().optional(),
  /**
   * Random horizontal flips of the training images. Off by default for generation (a GAN
   * reproduces its augmentation: flipped digits, text and logos come back mirrored), on for
   * CycleGAN (the paper's recipe). Absent in runs saved before the option existed: those resume
   * with what their data pipeline did then (see src/training/legacy-spec.ts).
   */
  flip: z.boolean().optional(),
  ema: z.boolean().optional(),
  sampleEvery: z.number().int().min(1).optional(),
  checkpointEvery: z.number().int().min(1).optional(),
  keepCheckpoints: z.number().int().min(1).max(1000).optional(),
  backend: BackendPref.default('auto'),
}).strict();
export type TrainSpec = z.infer<typeof TrainSpec>;
export type TrainSpecInput = z.input<typeof TrainSpec>;

export const RUN_STATES = ['queued', 'running', 'paused', 'done', 'failed', 'cancelled', 'interrupted'] as const;
export type RunState = (typeof RUN_STATES)[number];

export interface RunSummary {
  id: string;
  name: string;
  notes: string;
  task: Task;
  model: string;
  state: RunState;
  createdAt: number;
  updatedAt: number;
  /** the last step the run reported (after a crash it may be past its last checkpoint) */
  step: number;
  totalSteps: number;
  /**
   * the step a resume starts from: the newest checkpoint's (null: none yet, a resume starts
   * over). Filled by runs:list and runs:get from the run folder.
   */
  resumableStep?: number | null;
  spec: TrainSpec;
  /** last known values, e.g. { 'loss/G': 1.2 } */
  lastMetrics: Record<string, number>;
  backend: string | null;
  jobId: string | null;
  bytes: number;
  trashed: boolean;
}

export interface MetricPoint {
  step: number;
  time: number;
  values: Record<string, number>;
}

export interface SampleInfo {
  step: number;
  /** workspace-relative PNG path */
  path: string;
  createdAt: number;
}

export interface CheckpointInfo {
  name: string;
  step: number;
  createdAt: number;
  bytes: number;
  best: boolean;
  latest: boolean;
  /** what ranks checkpoints (lower is better): KID for digit sets, else SWD (see `scores`) */
  score?: number;
  /** the quality numbers at this checkpoint: 'quality/kid', 'quality/fid', 'quality/confident', 'quality/is', 'quality/swd' */
  scores?: Record<string, number>;
}

/** `id`: the run's id, its unique name or its workspace folder (resolved by the handlers) */
const RunRef = z.object({ id: RunRefText }).strict();

export const runsMethods = {
  'runs:list': method<RunSummary[]>()(z.object({ includeTrashed: z.boolean().default(false) }).strict().default({ includeTrashed: false })),
  'runs:get': method<RunSummary>()(RunRef),
  'runs:start': method<{ runId: string; jobId: string }>()(
    z.object({ spec: TrainSpec, name: z.string().max(120).optional() }).strict(),
  ),
  // the job's control answer: `requestId`/`owner` when another process runs it (see jobs:pause)
  'runs:pause': method<ControlAnswer & { jobId: string }>()(RunRef),
  'runs:resume': method<{ jobId: string }>()(RunRef),
  'runs:stop': method<ControlAnswer & { jobId: string }>()(RunRef),
  'runs:metrics': method<MetricPoint[]>()(z.object({ id: RunRefText, sinceStep: z.number().int().min(0).default(0) }).strict()),
  'runs:samples': method<SampleInfo[]>()(RunRef),
  'runs:checkpoints': method<CheckpointInfo[]>()(RunRef),
  'runs:log': method<string>()(RunRef),
  'runs:update': method<RunSummary>()(
    z.object({ id: RunRefText, name: z.string().min(1).max(120).optional(), notes: z.string().max(10_000).optional() }).strict(),
  ),
  'runs:trash': method<{ ok: true }>()(RunRef),
  'runs:restore': method<{ ok: true }>()(RunRef),
  'runs:diagnostics': method<string>()(RunRef),
  'runs:emptyTrash': method<{ freedBytes: number }>()(Empty),
};
