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

export { QUALITY_PREFIX, formatQuality } from './quality-format.js';
import { QUALITY_PREFIX } from './quality-format.js';

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
 * SWD where a feature metric applies; SWD looks at the first `swdImages` (64) of each set.
 */
function firstImages(x: tf.Tensor4D, n: number): tf.Tensor4D {
  return x.shape[0] <= n ? x : x.slice([0, 0, 0, 0], [n, -1, -1, -1]);
}

export async function generationQuality(fake: tf.Tensor4D, real: tf.Tensor4D, options: { swd?: boolean; swdImages?: number; seed?: number } = {}): Promise<QualityResult> {
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
    // SWD's cost grows with the set (patches per image); its estimate settles by ~64 images
    const cap = options.swdImages ?? 64;
    const [a, b] = [firstImages(fake, cap), firstImages(real, cap)];
    try {
      scores[`${QUALITY_PREFIX}swd`] = await slicedWassersteinDistance(a, b, { seed: options.seed ?? 0 });
    } finally {
      if (a !== fake) a.dispose();
      if (b !== real) b.dispose();
    }
  }
  return { scores, primary: digits ? `${QUALITY_PREFIX}kid` : `${QUALITY_PREFIX}swd` };
}
