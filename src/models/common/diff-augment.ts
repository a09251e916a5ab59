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
    if (policy.translation) out = randomTranslation(out, seed + 11, 0.125);
    if (policy.cutout) out = randomCutout(out, seed + 23, 0.5);
    return out;
  });
}

function randomColor(x: tf.Tensor4D, seed: number): tf.Tensor4D {
  const [n, , , c] = x.shape;
  const brightness = tf.randomUniform([n, 1, 1, 1], -0.5, 0.5, 'float32', seed);
  let out = tf.add(x, brightness) as tf.Tensor4D;
  if (c > 1) {
    const mean = tf.mean(out, 3, true);
    const saturation = tf.randomUniform([n, 1, 1, 1], 0, 2, 'float32', seed + 1);
    out = tf.add(tf.mul(tf.sub(out, mean), saturation), mean) as tf.Tensor4D;
  }
  const mean = tf.mean(out, [1, 2, 3], true);
  const contrast = tf.randomUniform([n, 1, 1, 1], 0.5, 1.5, 'float32', seed + 2);
  return tf.add(tf.mul(tf.sub(out, mean), contrast), mean) as tf.Tensor4D;
}

/**
 * Per-image shift matrices [n, size, size]: row i picks source index i - shift; rows whose
 * source falls outside are all zero, which is the zero padding of the original.
 */
function shiftMatrices(n: number, size: number, maxShift: number, seed: number): tf.Tensor3D {
  const shift = tf.randomUniform([n, 1], -maxShift, maxShift + 1, 'int32', seed);
  const source = tf.sub(tf.range(0, size, 1, 'int32').reshape([1, size]), shift);
  const inside = tf.logicalAnd(tf.greaterEqual(source, 0), tf.less(source, size));
  const index = tf.where(inside, source, tf.fill(source.shape, -1, 'int32')) as tf.Tensor2D;
  return tf.oneHot(index, size).toFloat() as tf.Tensor3D; // oneHot(-1) is a zero row
}

function randomTranslation(x: tf.Tensor4D, seed: number, ratio: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const rows = shiftMatrices(n, h, Math.round(h * ratio), seed);
  const cols = shiftMatrices(n, w, Math.round(w * ratio), seed + 1);
  const shiftedRows = tf.matMul(rows, x.reshape([n, h, w * c])).reshape([n, h, w, c]);
  const byColumn = shiftedRows.transpose([0, 2, 1, 3]).reshape([n, w, h * c]);
  return tf.matMul(cols, byColumn).reshape([n, w, h, c]).transpose([0, 2, 1, 3]) as tf.Tensor4D;
}

function randomCutout(x: tf.Tensor4D, seed: number, ratio: number): tf.Tensor4D {
  const [n, h, w] = x.shape;
  const cutH = Math.max(1, Math.round(h * ratio));
  const cutW = Math.max(1, Math.round(w * ratio));
  const cy = tf.randomUniform([n, 1], 0, h, 'int32', seed);
  const cx = tf.randomUniform([n, 1], 0, w, 'int32', seed + 1);
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
