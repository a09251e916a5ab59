// What a generation run trains on: a workspace dataset (its shard cache) or a plain folder.
import { AppError } from '../../contract/errors.js';
import type { ResolvedSpec } from '../../models/types.js';
import { folderSource } from '../../training/folder-source.js';
import { legacyFlip } from '../../training/legacy-spec.js';
import type { SourceBuilder } from '../types.js';

/** Flips only when the run asks: a GAN draws back the mirror images it was shown (#21). */
function generationFlip(spec: ResolvedSpec): boolean {
  return spec.flip ?? legacyFlip(spec) ?? false;
}

export const generateTrainSource: SourceBuilder = async (ws, spec, args) => {
  if (ws && spec.datasetId) {
    const data = await import('../../data/dataset-source.js');
    return data.openDatasetSource(ws, spec.datasetId, { size: spec.size, channels: spec.channels, seed: spec.seed, flip: generationFlip(spec) }, args.ctx);
  }
  if (args.data) return folderSource(args.data, { size: spec.size, channels: spec.channels, seed: spec.seed, flip: generationFlip(spec) }, args.ctx);
  throw new AppError('INVALID_ARGUMENT', 'a generation run needs images: pass --data FOLDER or a dataset id');
};
