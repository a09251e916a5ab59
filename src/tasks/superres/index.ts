// Super-resolution: an SR generator (esrgan, or a shipped pretrained ESRGAN) upscales each input
// image ×2/×3/×4, tiled so any size fits in memory.
import { AppError } from '../../contract/errors.js';
import type { TaskContext } from '../../common/reporter.js';
import { itemOptions } from '../item-options.js';
import { TASK_TRAITS } from '../../contract/tasks.js';
import { requireBatchInputs, type TaskDefinition } from '../types.js';

export const superresTask: TaskDefinition = {
  id: 'superres',
  ...TASK_TRAITS.superres,
  checkRunData(spec) {
    if (!spec.datasetId) throw new AppError('INVALID_ARGUMENT', 'a superres run needs datasetId');
  },
  checkBatch(_spec, inputs) {
    requireBatchInputs('superres', inputs);
  },
  batchTitle: (spec, model, count) => `Upscale${spec.scale ? ` ×${spec.scale}` : ''} with ${model}: ${count} file${count === 1 ? '' : 's'}`,
  // lazy, like everything that loads images or tfjs: listing tasks stays cheap
  trainSource: async (ws, spec, args) => (await import('./train-source.js')).superresTrainSource(ws, spec, args),
  async batchProcessor(spec) {
    const { loadUpscaler, upscaleFile } = await import('../../inference/upscale.js');
    const opts = itemOptions(spec);
    // loaded once up front: a model that cannot load fails the batch once, not every item
    const upscaler = await loadUpscaler(opts.model, opts.scale);
    if (opts.scale !== undefined && upscaler.scale !== opts.scale) {
      throw new AppError('INVALID_ARGUMENT', `${spec.model} upscales ×${upscaler.scale}, not ×${opts.scale}; drop --scale or pass --scale ${upscaler.scale}`);
    }
    const processItem = async (input: string | null, output: string, _item: unknown, ctx: TaskContext) => void (await upscaleFile(input!, output, opts, ctx));
    return Object.assign(processItem, { loaded: `${spec.model} ×${upscaler.scale}` });
  },
  exportNetworks: [{ network: 'G', folder: '' }],
  exportSidecar: (spec) => (spec.scale ? { scale: spec.scale } : {}),
};
