// DiffAugment (Zhao et al. 2020): the same random, differentiable augmentation applied to real
// and fake images before D, so D cannot memorise a small dataset and G still gets gradients.
// Built only from ops with gradients on every backend (matmul, mul, add, comparisons).
import * as tf from '@tensorflow/tfjs';

export interface DiffAugmentPolicy {
  color: boolean;
  translation: boolean;
  cutout: boolean;
}

export const DEFAULT_POLICY: DiffAugmentPolicy = { color: true, translation: true, cutout: true };

/** x: NHWC in [-1, 1]; every random draw comes from `seed`, so a resumed run augments identically. */
export function diffAugment(x: tf.Tensor4D, seed: number, policy: DiffAugmentPolicy = DEFAULT_POLICY): tf.Tensor4D {
  return tf.tidy(() => {
    let out = x;
    if (policy.color) out = randomColor(out, seed);
    if (policy.translation) out = randomTranslation(out, seed + TRANSLATION_SEED);
    if (policy.cutout) out = randomCutout(out, seed + CUTOUT_SEED);
    return out;
  });
}

const TRANSLATION_SEED = 11;
const CUTOUT_SEED = 23;
const TRANSLATION_RATIO = 0.125;
const CUTOUT_RATIO = 0.5;

// Every random draw of the augmentation, in one place each: the compiled WebGPU step
// (augmentDraws) reads the same numbers through these calls.
const brightnessDraw = (n: number, seed: number) => tf.randomUniform([n, 1, 1, 1], -0.5, 0.5, 'float32', seed);
const saturationDraw = (n: number, seed: number) => tf.randomUniform([n, 1, 1, 1], 0, 2, 'float32', seed + 1);
const contrastDraw = (n: number, seed: number) => tf.randomUniform([n, 1, 1, 1], 0.5, 1.5, 'float32', seed + 2);
const maxShift = (size: number) => Math.round(size * TRANSLATION_RATIO);
const shiftDraw = (n: number, size: number, seed: number) => tf.randomUniform([n, 1], -maxShift(size), maxShift(size) + 1, 'int32', seed);
const centreDraw = (n: number, size: number, seed: number) => tf.randomUniform([n, 1], 0, size, 'int32', seed);
/** Side of the cutout square's rows (or columns) for an image side. */
export const cutoutSize = (size: number): number => Math.max(1, Math.round(size * CUTOUT_RATIO));

/**
 * The full default policy's draws for a batch, 8 numbers per image: brightness, saturation (1
 * for one channel), contrast, row shift, column shift, cutout centre row, cutout centre column, 0.
 */
export function augmentDraws(n: number, h: number, w: number, c: number, seed: number): Float32Array {
  const draws = [
    brightnessDraw(n, seed), c > 1 ? saturationDraw(n, seed) : tf.ones([n]), contrastDraw(n, seed),
    shiftDraw(n, h, seed + TRANSLATION_SEED), shiftDraw(n, w, seed + TRANSLATION_SEED + 1),
    centreDraw(n, h, seed + CUTOUT_SEED), centreDraw(n, w, seed + CUTOUT_SEED + 1),
  ];
  const out = new Float32Array(n * 8);
  // freshly drawn tensors still hold their values on the host: no GPU read-back here
  draws.forEach((t, k) => t.dataSync().forEach((v, i) => { out[i * 8 + k] = v; }));
  tf.dispose(draws);
  return out;
}

function randomColor(x: tf.Tensor4D, seed: number): tf.Tensor4D {
  const [n, , , c] = x.shape;
  const brightness = brightnessDraw(n, seed);
  let out = tf.add(x, brightness) as tf.Tensor4D;
  if (c > 1) {
    const mean = tf.mean(out, 3, true);
    const saturation = saturationDraw(n, seed);
    out = tf.add(tf.mul(tf.sub(out, mean), saturation), mean) as tf.Tensor4D;
  }
  const mean = tf.mean(out, [1, 2, 3], true);
  const contrast = contrastDraw(n, seed);
  return tf.add(tf.mul(tf.sub(out, mean), contrast), mean) as tf.Tensor4D;
}

/**
 * Per-image shift matrices [n, size, size]: row i picks source index i - shift; rows whose
 * source falls outside are all zero, which is the zero padding of the original.
 */
function shiftMatrices(n: number, size: number, seed: number): tf.Tensor3D {
  const shift = shiftDraw(n, size, seed);
  const source = tf.sub(tf.range(0, size, 1, 'int32').reshape([1, size]), shift);
  const inside = tf.logicalAnd(tf.greaterEqual(source, 0), tf.less(source, size));
  const index = tf.where(inside, source, tf.fill(source.shape, -1, 'int32')) as tf.Tensor2D;
  return tf.oneHot(index, size).toFloat() as tf.Tensor3D; // oneHot(-1) is a zero row
}

function randomTranslation(x: tf.Tensor4D, seed: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const rows = shiftMatrices(n, h, seed);
  const cols = shiftMatrices(n, w, seed + 1);
  const shiftedRows = tf.matMul(rows, x.reshape([n, h, w * c])).reshape([n, h, w, c]);
  const byColumn = shiftedRows.transpose([0, 2, 1, 3]).reshape([n, w, h * c]);
  return tf.matMul(cols, byColumn).reshape([n, w, h, c]).transpose([0, 2, 1, 3]) as tf.Tensor4D;
}

function randomCutout(x: tf.Tensor4D, seed: number): tf.Tensor4D {
  const [n, h, w] = x.shape;
  const cutH = cutoutSize(h);
  const cutW = cutoutSize(w);
  const cy = centreDraw(n, h, seed);
  const cx = centreDraw(n, w, seed + 1);
  const rowIn = band(tf.range(0, h, 1, 'int32').reshape([1, h]), cy, cutH);
  const colIn = band(tf.range(0, w, 1, 'int32').reshape([1, w]), cx, cutW);
  const hole = tf.mul(rowIn.reshape([n, h, 1, 1]), colIn.reshape([n, 1, w, 1]));
  return tf.mul(x, tf.sub(1, hole)) as tf.Tensor4D;
}

/** 1 where centre - size/2 <= index < centre + size/2 */
function band(index: tf.Tensor, centre: tf.Tensor, size: number): tf.Tensor {
  const start = tf.sub(centre, Math.floor(size / 2));
  return tf.logicalAnd(tf.greaterEqual(index, start), tf.less(index, tf.add(start, size))).toFloat();
}
