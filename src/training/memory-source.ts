// A BatchSource over images already in memory: for tests, the folder fallback and demos.
// Order is a seeded shuffle per epoch, so the cursor {epoch, position} alone fixes every batch.
import * as tf from '@tensorflow/tfjs';
import type { BatchSource } from '../data/types.js';
import type { TrainBatch } from '../models/types.js';
import { stepRandom } from './step-random.js';
import { mulberry32 } from '../common/prng.js';

/** Fisher–Yates driven by a small seeded generator (mulberry32): same seed, same order. */
export function seededPermutation(length: number, seed: number): Int32Array {
  const rand = mulberry32(seed);
  const order = Int32Array.from({ length }, (_, i) => i);
  for (let i = length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * `images`: NHWC in [-1, 1]; the source takes ownership and disposes it. Every key of a batch
 * carries the same images (generation uses only 'real'). The last `heldOutCount` images are kept
 * out of training for previews and metrics when there are enough of them.
 */
export function memoryBatchSource(images: tf.Tensor4D, keys: readonly string[] = ['real'], seed = 0, options: { heldOutCount?: number; flip?: boolean } = {}): BatchSource {
  const total = images.shape[0];
  const heldOutCount = Math.min(options.heldOutCount ?? 0, Math.floor(total / 5));
  const trainCount = total - heldOutCount;
  const random = stepRandom(seed);
  let epoch = 0;
  let position = 0;
  let order = seededPermutation(trainCount, random.stepSeed('shuffle', epoch));

  /** `mirror[i]`: flip image i horizontally (training batches only; held-out images never) */
  const take = (indices: number[], mirror?: boolean[]): TrainBatch => {
    const picked = tf.tidy(() => {
      const x = tf.gather(images, tf.tensor1d(indices, 'int32')) as tf.Tensor4D;
      if (!mirror?.some(Boolean)) return x;
      const mask = tf.tensor4d(mirror.map(Number), [mirror.length, 1, 1, 1]);
      return tf.add(tf.mul(tf.reverse(x, 2), mask), tf.mul(x, tf.sub(1, mask))) as tf.Tensor4D;
    });
    const batch: TrainBatch = {};
    keys.forEach((key, i) => (batch[key] = i === 0 ? picked : picked.clone()));
    return batch;
  };

  return {
    keys,
    size: trainCount,
    next(batchSize: number) {
      const indices: number[] = [];
      const mirror: boolean[] = [];
      while (indices.length < batchSize) {
        if (position >= trainCount) {
          epoch++;
          position = 0;
          order = seededPermutation(trainCount, random.stepSeed('shuffle', epoch));
        }
        // seeded by the cursor, like the order: a resumed run flips exactly what it would have
        if (options.flip) mirror.push(random.stepSeed(`flip/${epoch}`, position) % 2 === 1);
        indices.push(order[position++]!);
      }
      return take(indices, mirror);
    },
    getCursor: () => ({ epoch, position }),
    setCursor(cursor) {
      epoch = Number(cursor.epoch ?? 0);
      position = Number(cursor.position ?? 0);
      order = seededPermutation(trainCount, random.stepSeed('shuffle', epoch));
    },
    heldOut(count: number) {
      const from = heldOutCount > 0 ? trainCount : 0;
      const available = heldOutCount > 0 ? heldOutCount : trainCount;
      return take(Array.from({ length: Math.min(count, available) }, (_, i) => from + i));
    },
    dispose: () => images.dispose(),
  };
}
