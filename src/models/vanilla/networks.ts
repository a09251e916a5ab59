// The classic GAN (Goodfellow et al. 2014) as CONVENTIONS.md fixes it: MLPs on flattened pixels.
// D ends in a raw logit; its sigmoid lives inside the BCE-with-logits loss. Weights start as
// PyTorch's nn.Linear defaults (init.ts), the init of the plain loop the quality bench compares.
import * as tf from '@tensorflow/tfjs';
import type { StepRandom } from '../types.js';
import { initSeeds, torchLinearInit } from '../common/init.js';

export interface VanillaShape {
  size: number;
  channels: number;
  zDim: number;
  hidden1: number;
  hidden2: number;
}

export function vanillaGenerator(s: VanillaShape, random: StepRandom): tf.LayersModel {
  const seeds = initSeeds(random, 'G');
  const pixels = s.size * s.size * s.channels;
  return tf.sequential({
    name: 'vanilla_G',
    layers: [
      tf.layers.dense({ inputShape: [s.zDim], units: s.hidden1, ...torchLinearInit(seeds, s.zDim) }),
      tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }),
      tf.layers.reLU(),
      tf.layers.dense({ units: s.hidden2, ...torchLinearInit(seeds, s.hidden1) }),
      tf.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-5 }),
      tf.layers.reLU(),
      tf.layers.dense({ units: pixels, activation: 'tanh', ...torchLinearInit(seeds, s.hidden2) }),
      tf.layers.reshape({ targetShape: [s.size, s.size, s.channels] }),
    ],
  });
}

export function vanillaDiscriminator(s: VanillaShape, random: StepRandom): tf.LayersModel {
  const seeds = initSeeds(random, 'D');
  const pixels = s.size * s.size * s.channels;
  return tf.sequential({
    name: 'vanilla_D',
    layers: [
      tf.layers.flatten({ inputShape: [s.size, s.size, s.channels] }),
      tf.layers.dense({ units: s.hidden2, ...torchLinearInit(seeds, pixels) }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.dense({ units: s.hidden1, ...torchLinearInit(seeds, s.hidden2) }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.dense({ units: 1, ...torchLinearInit(seeds, s.hidden1) }),
    ],
  });
}
