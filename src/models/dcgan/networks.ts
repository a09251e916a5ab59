// DCGAN (Radford et al. 2016). At 32 px this is exactly the DCGAN-32 reference of CONVENTIONS.md
// (and ../shared/reference/pytorch_dcgan_bench.py); each doubling of size adds one stride-2
// layer to both networks, with filters doubling towards the 4×4 end (capped by maxFilters).
import * as tf from '@tensorflow/tfjs';
import type { StepRandom } from '../types.js';
import { batchNormalization } from '../common/batch-norm.js';
import { dcganGammaInit, dcganInit, initSeeds, type InitSeeds } from '../common/init.js';

export interface DcganShape {
  size: number;
  channels: number;
  zDim: number;
  /** filters at the full-resolution end: 64 in the reference */
  baseFilters: number;
  maxFilters: number;
}

/** stride-2 layers between 4×4 and the image: 3 at 32 px */
export function upsamplings(size: number): number {
  return Math.round(Math.log2(size / 4));
}

/** filters at each resolution from 4×4 upwards, e.g. [256, 128, 64] at 32 px */
function filterLadder(s: DcganShape): number[] {
  const n = upsamplings(s.size);
  return Array.from({ length: n }, (_, i) => Math.min(s.maxFilters, s.baseFilters * 2 ** (n - 1 - i)));
}

function batchNorm(seeds: InitSeeds): tf.layers.Layer {
  return batchNormalization({ momentum: 0.9, epsilon: 1e-5, gammaInitializer: dcganGammaInit(seeds) });
}

export function dcganGenerator(s: DcganShape, random: StepRandom): tf.LayersModel {
  const seeds = initSeeds(random, 'G');
  const ladder = filterLadder(s);
  const layers: tf.layers.Layer[] = [
    tf.layers.dense({ inputShape: [s.zDim], units: 4 * 4 * ladder[0]!, kernelInitializer: dcganInit(seeds) }),
    tf.layers.reshape({ targetShape: [4, 4, ladder[0]!] }),
    batchNorm(seeds),
    tf.layers.reLU(),
  ];
  for (const filters of ladder.slice(1)) {
    layers.push(
      tf.layers.conv2dTranspose({ filters, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: dcganInit(seeds) }),
      batchNorm(seeds),
      tf.layers.reLU(),
    );
  }
  layers.push(tf.layers.conv2dTranspose({ filters: s.channels, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh', kernelInitializer: dcganInit(seeds) }));
  return tf.sequential({ name: 'dcgan_G', layers });
}

export function dcganDiscriminator(s: DcganShape, random: StepRandom): tf.LayersModel {
  const seeds = initSeeds(random, 'D');
  const ladder = filterLadder(s).reverse(); // [64, 128, 256] at 32 px
  const layers: tf.layers.Layer[] = [];
  ladder.forEach((filters, i) => {
    layers.push(tf.layers.conv2d({
      ...(i === 0 ? { inputShape: [s.size, s.size, s.channels] } : {}),
      filters, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: dcganInit(seeds),
    }));
    // no batch norm on the first layer, as in the paper and the reference
    if (i > 0) layers.push(batchNorm(seeds));
    layers.push(tf.layers.leakyReLU({ alpha: 0.2 }));
  });
  layers.push(tf.layers.flatten(), tf.layers.dense({ units: 1, kernelInitializer: dcganInit(seeds) }));
  return tf.sequential({ name: 'dcgan_D', layers });
}
