// Loads a trained run for inference (generate, upscale, stylize): the checkpoint is
// self-describing, so the family and spec come from it, not from the caller.
import { lstat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CHECKPOINT_NAME } from '../contract/common.js';
import { AppError } from '../contract/errors.js';
import { getFamily } from '../models/index.js';
import type { GanModel, ModelFamily, ResolvedSpec } from '../models/types.js';
import { checkpointsDir, listCheckpoints, loadLatestCheckpoint, readCheckpoint, restoreCheckpoint, type LoadedCheckpoint } from './checkpoint.js';
import { stepRandom } from './step-random.js';

export interface InferenceModel {
  family: ModelFamily;
  spec: ResolvedSpec;
  model: GanModel;
  /** the checkpoint folder name it came from, e.g. step-001000 */
  checkpoint: string;
  step: number;
}

/**
 * `checkpoint`: a folder name (step-001000), 'best', 'latest' or omitted for the newest usable
 * one. Anything else (a path, `..`) is refused: the name is only ever looked up inside the run.
 * `networks`: load only these (e.g. ['G']); the others keep their fresh initial weights.
 * The caller disposes `model`.
 */
export async function loadModelForInference(
  runDir: string,
  options: { checkpoint?: string; networks?: string[]; log?: (message: string) => void } = {},
): Promise<InferenceModel> {
  let loaded: LoadedCheckpoint | null;
  if (options.checkpoint !== undefined && !CHECKPOINT_NAME.test(options.checkpoint)) {
    throw new AppError('INVALID_ARGUMENT', `"${options.checkpoint.slice(0, 40)}" is not a checkpoint name: use step-NNNNNN (see \`gan-studio runs checkpoints RUN\`), latest or best`);
  }
  if (options.checkpoint === 'best') {
    const best = (await listCheckpoints(runDir)).find((c) => c.best);
    loaded = best ? await readCheckpoint(runDir, best.name) : await loadLatestCheckpoint(runDir, options.log);
  } else if (options.checkpoint && options.checkpoint !== 'latest') {
    const folder = await lstat(join(checkpointsDir(runDir), options.checkpoint)).catch(() => null);
    if (!folder?.isDirectory()) {
      throw new AppError('NOT_FOUND', `run ${basename(runDir)} has no checkpoint ${options.checkpoint}; its checkpoints are listed by \`gan-studio runs checkpoints\``);
    }
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
