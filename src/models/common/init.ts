// Seeded weight initializers. tfjs's defaults draw from Math.random, so two processes would
// start from different weights; seeding every layer from (run seed, layer index) makes a fresh
// run reproducible and lets the resume test compare against an uninterrupted run.
import * as tf from '@tensorflow/tfjs';
import type { StepRandom } from '../types.js';

export type Initializer = ReturnType<typeof tf.initializers.randomNormal>;

export interface InitSeeds {
  /** a new seed for each layer, in construction order */
  next(): number;
}

export function initSeeds(random: StepRandom, network: string): InitSeeds {
  let index = 0;
  return { next: () => random.stepSeed(`init/${network}`, index++) };
}

/** N(0, 0.02): the DCGAN paper's init for conv and dense kernels. */
export function dcganInit(seeds: InitSeeds): Initializer {
  return tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: seeds.next() });
}

/** BN gamma ~ N(1, 0.02), as in the PyTorch DCGAN reference. */
export function dcganGammaInit(seeds: InitSeeds): Initializer {
  return tf.initializers.randomNormal({ mean: 1, stddev: 0.02, seed: seeds.next() });
}

export function glorotInit(seeds: InitSeeds): Initializer {
  return tf.initializers.glorotUniform({ seed: seeds.next() });
}

/**
 * PyTorch's default for nn.Linear, which a plain PyTorch loop of the classic GAN trains with:
 * kernel kaiming-uniform(a=√5) = U(±1/√fan_in) (variance scaling 1/3, uniform), bias
 * U(±1/√fan_in). Glorot drew the first G layer's kernel from a ~1.6× wider range and left the
 * biases at zero.
 */
export function torchLinearInit(seeds: InitSeeds, fanIn: number): { kernelInitializer: Initializer; biasInitializer: Initializer } {
  const bound = 1 / Math.sqrt(fanIn);
  return {
    kernelInitializer: tf.initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform', seed: seeds.next() }),
    biasInitializer: tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed: seeds.next() }),
  };
}
