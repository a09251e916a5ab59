// The BatchSource a training run reads, by task: the dataset shard cache for generators, paired
// (importOptional paths are relative to src/jobs/.)
// low/high-res crops for super-resolution, two unpaired domains for CycleGAN. Each comes from
// the module that owns it; one that is not in this build is BACKEND_UNAVAILABLE.
import { AppError } from '../../contract/errors.js';
import type { TrainSpec } from '../../contract/runs.js';
import type { BatchSource } from '../../data/types.js';
import type { ResolvedSpec } from '../../models/types.js';
import type { Workspace } from '../../workspace/workspace.js';
import { importOptional } from '../engine-tasks.js';

type OpenDatasetSource = (ws: Workspace, datasetId: string, o: { size: number; channels: 1 | 3; seed: number; flip?: boolean }) => Promise<BatchSource>;
type OpenTaskSource = (ws: Workspace, spec: ResolvedSpec) => Promise<BatchSource>;

export async function openTrainSource(ws: Workspace, spec: TrainSpec, resolved: ResolvedSpec): Promise<BatchSource> {
  if (spec.task === 'generate') {
    if (!spec.datasetId) throw new AppError('INVALID_ARGUMENT', 'a generation run needs a dataset: pass --data DATASET_ID');
    const m = await importOptional<{ openDatasetSource: OpenDatasetSource }>('../data/dataset-source.js', 'dataset source');
    return m.openDatasetSource(ws, spec.datasetId, { size: resolved.size, channels: resolved.channels, seed: resolved.seed, flip: true });
  }
  if (spec.task === 'superres') {
    if (!spec.datasetId) throw new AppError('INVALID_ARGUMENT', 'a super-resolution run needs a dataset of high-resolution images: pass --data DATASET_ID');
    const m = await importOptional<{ openSrSource: OpenTaskSource }>('../data/sr-source.js', 'super-resolution pairs');
    return m.openSrSource(ws, resolved);
  }
  if (!spec.datasetA || !spec.datasetB) throw new AppError('INVALID_ARGUMENT', 'a CycleGAN run needs two datasets: pass --data-a A --data-b B');
  const m = await importOptional<{ openUnpairedSource: OpenTaskSource }>('../data/unpaired-source.js', 'CycleGAN domains');
  return m.openUnpairedSource(ws, resolved);
}
