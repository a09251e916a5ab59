// Style transfer (CycleGAN): two generators translate between unpaired sets A and B; a batch
// translates each input in one direction (a2b or b2a), tiled.
import { AppError } from '../../contract/errors.js';
import type { TaskContext } from '../../common/reporter.js';
import { itemOptions } from '../item-options.js';
import { TASK_TRAITS } from '../../contract/tasks.js';
import { requireBatchInputs, type TaskDefinition } from '../types.js';

export const cycleganTask: TaskDefinition = {
  id: 'cyclegan',
  ...TASK_TRAITS.cyclegan,
  checkRunData(spec) {
    if (!(spec.datasetA && spec.datasetB)) throw new AppError('INVALID_ARGUMENT', 'a CycleGAN run needs datasetA and datasetB');
  },
  checkBatch(spec, inputs) {
    requireBatchInputs('cyclegan', inputs);
    if (!spec.direction) throw new AppError('INVALID_ARGUMENT', 'a cyclegan batch needs direction a2b or b2a');
  },
  batchTitle: (spec, model, count) => `Stylize ${spec.direction === 'b2a' ? 'B→A' : 'A→B'} with ${model}: ${count} file${count === 1 ? '' : 's'}`,
  // lazy, like everything that loads images or tfjs: listing tasks stays cheap
  trainSource: async (ws, spec, args) => (await import('./train-source.js')).cycleganTrainSource(ws, spec, args),
  async batchProcessor(spec) {
    const { loadStylizer, stylizeFile } = await import('../../inference/stylize.js');
    const direction = spec.direction;
    if (!direction) throw new AppError('INVALID_ARGUMENT', 'a cyclegan batch needs direction a2b or b2a');
    const opts = { ...itemOptions(spec), direction };
    // loaded once up front: a run that cannot load fails the batch once, not every item
    const stylizer = await loadStylizer(opts.model, opts.checkpoint);
    const processItem = async (input: string | null, output: string, _item: unknown, ctx: TaskContext) => void (await stylizeFile(input!, output, opts, ctx));
    return Object.assign(processItem, { loaded: `${stylizer.runDir} (${stylizer.checkpoint})` });
  },
  exportNetworks: [{ network: 'G_AB', folder: 'a2b' }, { network: 'G_BA', folder: 'b2a' }],
  exportSidecar: () => ({ directions: { a2b: 'a2b', b2a: 'b2a' } }),
};
