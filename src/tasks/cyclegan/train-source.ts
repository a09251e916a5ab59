// What a CycleGAN run trains on: two unpaired image sets A and B, from workspace datasets
// (spec.datasetA/B) or plain folders.
import { AppError } from '../../contract/errors.js';
import type { SourceBuilder } from '../types.js';
import { jitterLoadSide, listImageFiles, loadImageSet, unpairedBatchSource } from '../../data/unpaired.js';

export const cycleganTrainSource: SourceBuilder = async (ws, spec, args) => {
  const paths = async (name: 'A' | 'B', datasetId: string | undefined, folder: string | undefined): Promise<string[]> => {
    let found: string[];
    if (ws && datasetId) {
      const data = await import('../../data/dataset-source.js');
      found = await data.loadDatasetImages(ws, datasetId, { split: 'all' });
    } else if (folder) {
      found = await listImageFiles(folder);
    } else {
      throw new AppError('INVALID_ARGUMENT', `a CycleGAN run needs two image sets: pass --data-a and --data-b (folders or dataset ids); set ${name} is missing`);
    }
    if (found.length < 2) throw new AppError('INVALID_ARGUMENT', `set ${name} (${folder ?? datasetId}) has ${found.length} image(s); CycleGAN needs at least 2 per set`);
    return found;
  };
  const load = async (name: 'A' | 'B', datasetId: string | undefined, folder: string | undefined) => {
    const list = await paths(name, datasetId, folder);
    // each set gets its own: one may be large photos, the other small icons
    const side = await jitterLoadSide(list, spec.size);
    args.ctx.report.log('info', `loading set ${name}: ${list.length} images at ${side}px`);
    const { set, skipped } = await loadImageSet(list, {
      side,
      channels: spec.channels,
      signal: args.ctx.signal,
      onProgress: (done, total) => args.ctx.report.progress({ done, total, unit: `images (${name})` }),
    });
    if (skipped.length) args.ctx.report.log('warn', `set ${name}: skipped ${skipped.length} unreadable image(s), e.g. ${skipped[0]}`);
    return set;
  };
  const a = await load('A', spec.datasetA, args.dataA);
  const b = await load('B', spec.datasetB, args.dataB);
  // the paper flips; a pre-option run has no field and flipped too
  return unpairedBatchSource(a, b, { size: spec.size, seed: spec.seed, flip: spec.flip ?? true });
};
