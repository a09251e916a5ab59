// What the training loop consumes. Implementations: the dataset shard cache (generate),
// super-resolution pairs made on the fly (superres), unpaired A/B sets (cyclegan).
import type { TrainBatch } from '../models/types.js';

export interface BatchSource {
  /** the keys of every batch, e.g. ['real'] or ['lr', 'hr'] or ['a', 'b'] */
  readonly keys: readonly string[];
  /** number of training images (per domain for A/B: the larger) */
  readonly size: number;
  /**
   * The next batch, NHWC float32 in [-1, 1]. Deterministic from the seed and cursor: the same
   * cursor always yields the same batch (flips and crops included). The caller disposes it.
   */
  next(batchSize: number): TrainBatch;
  /** a JSON cursor (epoch, position, ...) saved in checkpoints */
  getCursor(): Record<string, unknown>;
  setCursor(cursor: Record<string, unknown>): void;
  /** held-out images for previews and metrics (the validation split), at most `count` */
  heldOut(count: number): TrainBatch;
  dispose(): void;
}
