// The one interface every model family implements (the BaseModel habit of pytorch-CycleGAN):
// networks, optimizers, loss names and visual names are declared, so saving, loading, logging,
// previews and resume are generic and live in src/training/, not in each family.
import type * as tf from '@tensorflow/tfjs';
import type { Task } from '../contract/common.js';
import type { TrainSpec } from '../contract/runs.js';

/**
 * A TrainSpec with every default filled in by the family's preset. This is what gets hashed
 * into checkpoints ("config hash") so a resume with other settings is refused.
 */
export interface ResolvedSpec extends TrainSpec {
  preset: NonNullable<TrainSpec['preset']>;
  size: number;
  channels: 1 | 3;
  steps: number;
  batch: number;
  lr: number;
  sampleEvery: number;
  checkpointEvery: number;
  keepCheckpoints: number;
  /** family-specific knobs (filters, blocks, z size, ...), also hashed */
  extra: Record<string, number | string | boolean>;
}

/** One batch of training data, NHWC float32 in [-1, 1]. Keys are family-specific: real | lr,hr | a,b. */
export type TrainBatch = Record<string, tf.Tensor4D>;

/**
 * Randomness is derived from (seed, step) — never from hidden global RNG state — so a run
 * resumed at step N draws exactly what the uninterrupted run drew. `stepSeed` gives a
 * deterministic 31-bit seed for a (purpose, step) pair.
 */
export interface StepRandom {
  stepSeed(purpose: string, step: number): number;
}

/** Non-weight state a family needs for exact resume (image pools, EMA, schedule position...). */
export interface ExtraState {
  json: Record<string, unknown>;
  tensors: Record<string, tf.Tensor>;
}

export interface GanModel {
  readonly family: string;
  readonly task: Task;
  readonly spec: ResolvedSpec;
  /** every trainable network by name, e.g. { G, D } or { G_A, G_B, D_A, D_B } */
  readonly networks: Record<string, tf.LayersModel>;
  /** every optimizer by name, e.g. { G, D } */
  readonly optimizers: Record<string, tf.Optimizer>;
  /** scalar names trainStep returns, slash-named: 'loss/G', 'loss/D', 'D(x)', 'D(G(z))' */
  readonly lossNames: readonly string[];
  /** names of the pictures sampleGrid draws, for logs and the UI */
  readonly visualNames: readonly string[];
  /**
   * One optimisation step at `step` (0-based). Returns scalars keyed by lossNames; the caller
   * reads them only every N steps (no per-step GPU→CPU sync) and disposes them.
   * Must leak no tensors.
   */
  trainStep(batch: TrainBatch, step: number): Record<string, tf.Scalar>;
  /**
   * A fixed preview as one image grid [H, W, C] in [0, 1]. `fixed` is a batch drawn once at the
   * start of the run (held-out images for SR/CycleGAN; ignored by generators, which use a
   * fixed latent from the seed).
   */
  sampleGrid(fixed: TrainBatch | null): tf.Tensor3D;
  /** Images for quality metrics (SWD): generated or translated, NHWC in [-1, 1]. */
  sampleForMetrics?(count: number, fixed: TrainBatch | null): tf.Tensor4D;
  getExtraState(): ExtraState;
  setExtraState(state: ExtraState): void;
  dispose(): void;
}

/** A registry entry. `_template/` shows a complete one. */
export interface ModelFamily {
  id: string;
  task: Task;
  title: string;
  description: string;
  /** the data keys trainStep expects, e.g. ['real'] or ['lr', 'hr'] or ['a', 'b'] */
  batchKeys: readonly string[];
  /** fill every default of `spec` from the preset; throws AppError INVALID_ARGUMENT on bad combos */
  resolve(spec: TrainSpec): ResolvedSpec;
  create(spec: ResolvedSpec, random: StepRandom): GanModel;
}
