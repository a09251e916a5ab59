// The number a checkpoint is ranked by ("best"), computed on held-out images at each checkpoint.
// Generation: generation-quality.ts (KID on the project's digit-classifier features for digit
// sets, SWD otherwise) on up to 256 samples — a bounded cost (one forward pass of G over 256
// latents, a small classifier, O(n²·64) arithmetic). Other tasks: SWD of translated or upscaled
// images against their targets, as before.
import type { GanModel, TrainBatch } from '../models/types.js';
import { generationQuality } from '../metrics/generation-quality.js';
import { slicedWassersteinDistance } from '../metrics/swd.js';

/** held-out images scored per checkpoint: generation (KID wants a few hundred), other tasks (SWD) */
export const GENERATION_SCORE_IMAGES = 256;
export const OTHER_SCORE_IMAGES = 64;

export interface CheckpointScore {
  /** lower is better; what picks the best checkpoint */
  score: number;
  /** which key of `scores` that is, e.g. 'quality/kid' */
  primary: string;
  scores: Record<string, number>;
}

export async function scoreCheckpoint(model: GanModel, real: TrainBatch, fixed: TrainBatch | null, log: (l: 'warn', m: string) => void): Promise<CheckpointScore | null> {
  const reference = real.real ?? real.hr ?? real.b ?? Object.values(real)[0];
  if (!reference || reference.shape[0] < 2 || !model.sampleForMetrics) return null;
  const generating = model.task === 'generate';
  const fake = model.sampleForMetrics(generating ? GENERATION_SCORE_IMAGES : reference.shape[0], fixed);
  try {
    if (generating) {
      const quality = await generationQuality(fake, reference);
      return { score: quality.scores[quality.primary]!, primary: quality.primary, scores: quality.scores };
    }
    const swd = await slicedWassersteinDistance(fake, reference, { seed: 0 });
    return { score: swd, primary: 'quality/swd', scores: { 'quality/swd': swd } };
  } catch (error) {
    log('warn', `quality score skipped: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  } finally {
    fake.dispose();
  }
}
