// Loads a trained run for inference (generate, upscale, stylize): the checkpoint is
// self-describing, so the family and spec come from it, not from the caller.
import { AppError } from '../contract/errors.js';
import { getFamily } from '../models/index.js';
import type { GanModel, ModelFamily, ResolvedSpec } from '../models/types.js';
import { listCheckpoints, loadLatestCheckpoint, readCheckpoint, restoreCheckpoint, type LoadedCheckpoint } from './checkpoint.js';
import { stepRandom } from '../models/step-random.js';

export interface InferenceModel {
  family: ModelFamily;
  spec: ResolvedSpec;
  model: GanModel;
  /** the checkpoint folder name it came from, e.g. step-001000 */
  checkpoint: string;
  step: number;
}

/**
 * `checkpoint`: a folder name (step-001000), 'best', or omitted for the newest usable one.
 * `networks`: load only these (e.g. ['G']); the others keep their fresh initial weights.
 * The caller disposes `model`.
 */
export async function loadModelForInference(
  runDir: string,
  options: { checkpoint?: string; networks?: string[]; log?: (message: string) => void } = {},
): Promise<InferenceModel> {
  let loaded: LoadedCheckpoint | null;
  if (options.checkpoint === 'best') {
    const best = (await listCheckpoints(runDir)).find((c) => c.best);
    loaded = best ? await readCheckpoint(runDir, best.name) : await loadLatestCheckpoint(runDir, options.log);
  } else if (options.checkpoint) {
    loaded = await readCheckpoint(runDir, options.checkpoint);
  } else {
    loaded = await loadLatestCheckpoint(runDir, options.log);
  }
  if (!loaded) throw new AppError('NOT_FOUND', `${runDir} has no usable checkpoint yet; train it first (gan-studio train ... --out ${runDir})`);
  const family = getFamily(loaded.state.family);
  const spec = loaded.state.spec;
  const model = family.create(spec, stepRandom(spec.seed));
  try {
    await restoreCheckpoint(model, loaded, { networks: options.networks, optimizers: false });
  } catch (error) {
    model.dispose();
    throw error;
  }
  return { family, spec, model, checkpoint: loaded.name, step: loaded.state.step };
}
