// One quality number (and its companions) for a set of generated images against held-out real
// ones, the same code for a run's checkpoints, `gan-studio` and the quality bench.
//
// Which metric: for 1-channel 28/32 px sets (digits) the project's own digit classifier gives
// features (digit-classifier.ts), and KID on them is the headline — unbiased at the few hundred
// samples a checkpoint can afford, so numbers from different sample counts compare. FID (biased
// upwards at small n), the Inception-style score and the share of confidently classified
// samples come with it. For every other set (colour, other sizes) there is no feature network
// that ships in npm and was trained on such images, so the headline is SWD on Laplacian-pyramid
// patches (Karras et al.), which needs none. The ESRGAN trunks in @upscalerjs were considered
// for colour sets: their features describe local texture for upscaling, not what an image
// shows, so a KID on them would mostly repeat what SWD already measures, at a far higher cost.
import type * as tf from '@tensorflow/tfjs';
import { slicedWassersteinDistance } from './swd.js';
import { CONFIDENT_PROBABILITY, digitClassifier } from './digit-classifier.js';
import { frechetDistance, kernelInceptionDistance, type FeatureSet } from './feature-distances.js';

export const QUALITY_PREFIX = 'quality/';

export interface QualityResult {
  /** e.g. { 'quality/kid': 0.012, 'quality/fid': 9.1, 'quality/confident': 0.81, 'quality/is': 8.7, 'quality/swd': 0.05 } */
  scores: Record<string, number>;
  /** the key that ranks checkpoints (lower is better): 'quality/kid' or 'quality/swd' */
  primary: string;
}

/** Whether the digit classifier can read a set of this shape. */
export function digitFeaturesApply(shape: readonly number[]): boolean {
  const [, h, w, c] = shape;
  return c === 1 && h === w && (h === 28 || h === 32);
}

/** exp(E_x KL(p(y|x) ‖ p(y))): 1 when every sample looks alike, 10 when all classes appear confidently. */
export function inceptionStyleScore(probabilities: Float32Array, n: number, classes = 10): number {
  const marginal = new Float64Array(classes);
  for (let i = 0; i < n; i++) for (let k = 0; k < classes; k++) marginal[k]! += probabilities[i * classes + k]! / n;
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < classes; k++) {
      const p = probabilities[i * classes + k]!;
      if (p > 1e-12) kl += p * (Math.log(p) - Math.log(Math.max(marginal[k]!, 1e-12)));
    }
  }
  return Math.exp(kl / n);
}

export function confidentShare(probabilities: Float32Array, n: number, classes = 10): number {
  let confident = 0;
  for (let i = 0; i < n; i++) {
    let top = 0;
    for (let k = 0; k < classes; k++) top = Math.max(top, probabilities[i * classes + k]!);
    if (top >= CONFIDENT_PROBABILITY) confident++;
  }
  return confident / n;
}

/**
 * Scores `fake` against `real` (both NHWC in [-1, 1]; the caller keeps them). `swd: false` skips
 * SWD where a feature metric applies (the bench's large sets).
 */
export async function generationQuality(fake: tf.Tensor4D, real: tf.Tensor4D, options: { swd?: boolean; seed?: number } = {}): Promise<QualityResult> {
  const scores: Record<string, number> = {};
  const digits = digitFeaturesApply(fake.shape) && digitFeaturesApply(real.shape);
  if (digits) {
    const classifier = await digitClassifier();
    const f = classifier.embed(fake);
    const r = classifier.embed(real);
    const d = f.features.length / f.n;
    const fs: FeatureSet = { values: f.features, n: f.n, d };
    const rs: FeatureSet = { values: r.features, n: r.n, d };
    scores[`${QUALITY_PREFIX}kid`] = kernelInceptionDistance(fs, rs);
    scores[`${QUALITY_PREFIX}fid`] = frechetDistance(fs, rs);
    scores[`${QUALITY_PREFIX}confident`] = confidentShare(f.probabilities, f.n);
    scores[`${QUALITY_PREFIX}is`] = inceptionStyleScore(f.probabilities, f.n);
  }
  if (!digits || options.swd !== false) {
    scores[`${QUALITY_PREFIX}swd`] = await slicedWassersteinDistance(fake, real, { seed: options.seed ?? 0 });
  }
  return { scores, primary: digits ? `${QUALITY_PREFIX}kid` : `${QUALITY_PREFIX}swd` };
}

/** "KID 0.012 · 81 % confident" — the short form for tables and the CLI. */
export function formatQuality(scores: Record<string, number>): string {
  const kid = scores[`${QUALITY_PREFIX}kid`];
  const confident = scores[`${QUALITY_PREFIX}confident`];
  const swd = scores[`${QUALITY_PREFIX}swd`];
  const parts: string[] = [];
  if (kid !== undefined) parts.push(`KID ${kid.toFixed(4)}`);
  if (confident !== undefined) parts.push(`${Math.round(confident * 100)} % confident`);
  if (kid === undefined && swd !== undefined) parts.push(`SWD ${swd.toFixed(4)}`);
  return parts.join(' · ');
}
