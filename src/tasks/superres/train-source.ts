// What a super-resolution run trains on: HR images (a workspace dataset or a folder), degraded
// on the fly into LR/HR pairs.
import { AppError } from '../../contract/errors.js';
import type { SourceBuilder } from '../types.js';
import { loadHrImages, srPairSource } from '../../data/sr-pairs.js';
import { listImageFiles } from '../../common/image-files.js';

export const superresTrainSource: SourceBuilder = async (ws, spec, args) => {
  const scale = spec.scale ?? 2;
  let paths: string[];
  if (ws && spec.datasetId) {
    const data = await import('../../data/dataset-source.js');
    paths = await data.loadDatasetImages(ws, spec.datasetId, { split: 'all' });
  } else if (args.data) {
    paths = await listImageFiles(args.data);
  } else {
    throw new AppError('INVALID_ARGUMENT', 'a super-resolution run needs HR images: pass --data FOLDER or a dataset id');
  }
  if (paths.length === 0) throw new AppError('INVALID_ARGUMENT', `no images found in ${args.data ?? spec.datasetId}`);
  const images = await loadHrImages(paths, { channels: spec.channels, minSide: spec.size }, args.ctx);
  const mode = spec.extra.degrade === 'realesrgan' ? 'realesrgan' : 'bicubic';
  return srPairSource(images, { size: spec.size, scale, channels: spec.channels, seed: spec.seed, degrade: { mode } });
};
