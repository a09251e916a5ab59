// Generation: a GAN draws new images from latent vectors (vanilla, dcgan and any family whose
// model has the generator capability). Batches make `count` images from consecutive seeds.
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '../../contract/errors.js';
import { TASK_TRAITS } from '../../contract/tasks.js';
import type { TaskDefinition } from '../types.js';

export const generateTask: TaskDefinition = {
  id: 'generate',
  ...TASK_TRAITS.generate,
  checkRunData(spec) {
    if (!spec.datasetId) throw new AppError('INVALID_ARGUMENT', 'a generate run needs datasetId');
  },
  checkBatch(spec) {
    if (!spec.count) throw new AppError('INVALID_ARGUMENT', 'a generate batch needs count (how many images)');
  },
  batchTitle: (_spec, model, count) => `Generate ${count} image${count === 1 ? '' : 's'} with ${model}`,
  // lazy, like everything that loads images or tfjs: listing tasks stays cheap
  trainSource: async (ws, spec, args) => (await import('./train-source.js')).generateTrainSource(ws, spec, args),
  async batchProcessor(spec) {
    const { generateImages } = await import('../../inference/generate.js');
    return async (_input, output, item, ctx) => {
      // one image per item (seed + index), so a paused or rerun batch redoes nothing it finished
      const tmp = await mkdtemp(join(dirname(output), '.gen-'));
      try {
        const { files } = await generateImages(spec.resolvedModel.dir!, { count: 1, seed: (spec.seed ?? 0) + item.seq, format: spec.format === 'input' ? 'png' : spec.format, quality: spec.quality }, tmp, ctx);
        if (!files[0]) throw new Error('the generator wrote no image');
        await rename(files[0], output);
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    };
  },
  exportNetworks: [{ network: 'G', folder: '' }],
  exportSidecar: () => ({}),
};
