// The history of generated images (Shrivastava et al. 2017, used by CycleGAN): the discriminator
// sees a mix of this step's fakes and fakes from earlier generators, which damps oscillation.
// Each image is returned as is until the pool holds `capacity`; after that, with probability ½,
// a random stored image is returned instead and the new one takes its place.
// Randomness comes from a seed the caller derives from (run seed, step), and the stored images
// are part of the checkpoint, so a resumed run draws exactly what the uninterrupted one drew.
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../../common/prng.js';


export class ImagePool {
  private images: tf.Tensor3D[] = [];

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.images.length;
  }

  /** Returns a batch of the same shape as `fakes` (a new tensor); `fakes` stays the caller's. */
  query(fakes: tf.Tensor4D, seed: number): tf.Tensor4D {
    if (this.capacity <= 0) return fakes.clone();
    const rand = mulberry32(seed);
    const incoming = tf.unstack(fakes) as tf.Tensor3D[];
    const chosen: tf.Tensor3D[] = [];
    for (const image of incoming) {
      const kept = tf.keep(image);
      if (this.images.length < this.capacity) {
        this.images.push(kept);
        chosen.push(kept);
      } else if (rand() > 0.5) {
        const index = Math.floor(rand() * this.capacity);
        chosen.push(this.images[index]!);
        this.images[index] = kept;
      } else {
        chosen.push(kept);
      }
    }
    const batch = tf.stack(chosen) as tf.Tensor4D;
    // dispose what is neither in the pool nor the caller's: returned-only new images, and stored
    // images just replaced
    const pooled = new Set(this.images);
    for (const t of new Set(chosen)) if (!pooled.has(t)) t.dispose();
    return batch;
  }

  /** Pool contents, in order: read them, don't dispose them. */
  state(): tf.Tensor3D[] {
    return this.images;
  }

  /** Copies the given images in (the caller keeps its own). */
  restore(images: tf.Tensor[]): void {
    this.clear();
    this.images = images.slice(0, this.capacity).map((t) => tf.keep(t.clone() as tf.Tensor3D));
  }

  clear(): void {
    for (const t of this.images) t.dispose();
    this.images = [];
  }
}
