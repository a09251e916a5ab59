// Which BatchSource a task trains on. Each task's owner registers a builder here (generate:
// below; superres and cyclegan: their own modules), and the CLI / job engine call
// `buildTrainSource` without knowing the tasks.
import { AppError } from '../contract/errors.js';
import type { Task } from '../contract/common.js';
import type { BatchSource } from '../data/types.js';
import type { TaskContext } from '../common/reporter.js';
import type { ResolvedSpec } from '../models/types.js';
import type { Workspace } from '../workspace/workspace.js';
import { folderSource } from './folder-source.js';
import { legacyFlip } from './legacy-spec.js';

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

const builders = new Map<Task, SourceBuilder>();

export function registerSourceBuilder(task: Task, builder: SourceBuilder): void {
  builders.set(task, builder);
}

export function getSourceBuilder(task: Task): SourceBuilder {
  const builder = builders.get(task);
  if (!builder) throw new AppError('BACKEND_UNAVAILABLE', `no training data source is registered for task "${task}" in this build`);
  return builder;
}

/** The other tasks' builders register themselves when their module loads: loaded on first use. */
const BUILDER_MODULES: Partial<Record<Task, () => Promise<unknown>>> = {
  superres: () => import('../data/sr-source.js'),
  cyclegan: () => import('../data/unpaired-source.js'),
};

export async function buildTrainSource(ws: Workspace | null, spec: ResolvedSpec, args: SourceArgs): Promise<BatchSource> {
  const load = BUILDER_MODULES[spec.task];
  if (!builders.has(spec.task) && load) await load();
  return getSourceBuilder(spec.task)(ws, spec, args);
}

/** Flips only when the run asks: a GAN draws back the mirror images it was shown (#21). */
function generationFlip(spec: ResolvedSpec): boolean {
  return spec.flip ?? legacyFlip(spec) ?? false;
}

registerSourceBuilder('generate', async (ws, spec, args) => {
  if (ws && spec.datasetId) {
    const data = await import('../data/dataset-source.js');
    return data.openDatasetSource(ws, spec.datasetId, { size: spec.size, channels: spec.channels, seed: spec.seed, flip: generationFlip(spec) }, args.ctx);
  }
  if (args.data) return folderSource(args.data, { size: spec.size, channels: spec.channels, seed: spec.seed, flip: generationFlip(spec) }, args.ctx);
  throw new AppError('INVALID_ARGUMENT', 'a generation run needs images: pass --data FOLDER or a dataset id');
});
