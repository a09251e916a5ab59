// The CycleGAN paper's networks (Zhu et al. 2017, appendix 7.2), with widths scaled by `filters`
// (64 in the paper): the ResNet generator c7s1-64, d128, d256, R256×n, u128, u64, c7s1-3 and the
// 70×70 PatchGAN discriminator C64-C128-C256-C512 → 1. Inputs have free height and width, so the
// generator runs on any image whose sides are multiples of 4.
import * as tf from '@tensorflow/tfjs';
import type { StepRandom } from '../types.js';
import { dcganInit, initSeeds, type InitSeeds } from '../common/init.js';
import { InstanceNorm, ReflectionPad2d, UpsampleNearest2d } from './layers.js';

export interface GeneratorShape {
  channels: number;
  /** base width: 64 in the paper */
  filters: number;
  /** residual blocks: 6 (128 px) or 9 (256 px) in the paper */
  blocks: number;
  /**
   * How the decoder doubles resolution: 'transpose' is the paper's fractionally-strided
   * convolution (u128, u64); 'resize' is nearest ×2 then a 3×3 convolution (Odena et al. 2016,
   * "Deconvolution and checkerboard artifacts"), which leaves no checkerboard pattern even early
   * in training — what the short CPU schedules of the `small` preset see. It costs ~16% more per
   * step (small, 64 px, batch 4, wasm: 3.4 s against 2.9 s): its 3×3 convolutions run at the
   * doubled resolution. In two pairs of side-by-side demo runs it translated closer to the target
   * set (SWD 0.048 / 0.058 against 0.052 / 0.062 on the latest) and reconstructed about as well
   * (19.9–20.0 against 19.9–20.3 dB).
   */
  upsample?: 'transpose' | 'resize';
  /**
   * How many of the encoder's first convolutions (c7s1, d128, d256) skip instance norm: 0 is the
   * paper. Instance norm right after the first convolution removes each channel's mean and scale,
   * and that convolution is linear, so the paper's generator cannot see an image's brightness or
   * contrast: G(x + c) = G(s·x) = G(x) for any colour shift c and any s > 0 (a black square and a
   * white one translate alike). A cycle can then only guess levels back from content; on the emoji
   * demo, matching each reconstruction's channel means and spreads to the original's would lift
   * cycle PSNR from 20.0 to 23.8 dB. With the first layer plain (conv, bias, ReLU — the paper's
   * discriminator and pix2pix's encoder also leave their first layer unnormalised) the ReLU keeps
   * levels as a pattern the later norms cannot undo.
   */
  plainEncoderLayers?: number;
}

export interface DiscriminatorShape {
  channels: number;
  filters: number;
  /** strided layers after the first: 3 gives the 70×70 PatchGAN */
  layers: number;
}

type Sym = tf.SymbolicTensor;

function conv(seeds: InitSeeds, filters: number, kernel: number, strides: number, name: string): tf.layers.Layer {
  // the reference code keeps conv biases because instance norm has no affine shift of its own
  return tf.layers.conv2d({
    filters, kernelSize: kernel, strides, padding: 'valid', useBias: true,
    kernelInitializer: dcganInit(seeds), biasInitializer: 'zeros', name,
  });
}

function norm(x: Sym, name: string): Sym {
  return new InstanceNorm({ name }).apply(x) as Sym;
}

function relu(x: Sym, name: string): Sym {
  return tf.layers.reLU({ name }).apply(x) as Sym;
}

function reflect(x: Sym, pad: number, name: string): Sym {
  return new ReflectionPad2d({ pad, name }).apply(x) as Sym;
}

function residualBlock(x: Sym, seeds: InitSeeds, width: number, name: string): Sym {
  let y = reflect(x, 1, `${name}_pad1`);
  y = relu(norm(conv(seeds, width, 3, 1, `${name}_conv1`).apply(y) as Sym, `${name}_norm1`), `${name}_relu1`);
  y = reflect(y, 1, `${name}_pad2`);
  y = norm(conv(seeds, width, 3, 1, `${name}_conv2`).apply(y) as Sym, `${name}_norm2`);
  return tf.layers.add({ name: `${name}_add` }).apply([x, y]) as Sym;
}

function transposedConv(x: Sym, seeds: InitSeeds, width: number, name: string): Sym {
  return tf.layers.conv2dTranspose({
    filters: width, kernelSize: 3, strides: 2, padding: 'same', useBias: true,
    kernelInitializer: dcganInit(seeds), biasInitializer: 'zeros', name,
  }).apply(x) as Sym;
}

function resizeConv(x: Sym, seeds: InitSeeds, width: number, name: string): Sym {
  const up = new UpsampleNearest2d({ name: `${name}_up` }).apply(x) as Sym;
  return conv(seeds, width, 3, 1, name).apply(reflect(up, 1, `${name}_pad`)) as Sym;
}

export function resnetGenerator(shape: GeneratorShape, random: StepRandom, name: string): tf.LayersModel {
  const seeds = initSeeds(random, name);
  const f = shape.filters;
  const input = tf.input({ shape: [null, null, shape.channels], name: `${name}_in` });
  const plain = shape.plainEncoderLayers ?? 0;
  const maybeNorm = (y: Sym, layer: number, name: string) => (layer < plain ? y : norm(y, name));
  let x = reflect(input, 3, 'c7_pad');
  x = relu(maybeNorm(conv(seeds, f, 7, 1, 'c7').apply(x) as Sym, 0, 'c7_norm'), 'c7_relu');
  for (const [i, width] of [f * 2, f * 4].entries()) {
    x = tf.layers.zeroPadding2d({ padding: 1, name: `d${i}_pad` }).apply(x) as Sym;
    x = relu(maybeNorm(conv(seeds, width, 3, 2, `d${i}`).apply(x) as Sym, i + 1, `d${i}_norm`), `d${i}_relu`);
  }
  for (let i = 0; i < shape.blocks; i++) x = residualBlock(x, seeds, f * 4, `r${i}`);
  for (const [i, width] of [f * 2, f].entries()) {
    x = shape.upsample === 'resize' ? resizeConv(x, seeds, width, `u${i}`) : transposedConv(x, seeds, width, `u${i}`);
    x = relu(norm(x, `u${i}_norm`), `u${i}_relu`);
  }
  x = reflect(x, 3, 'out_pad');
  x = conv(seeds, shape.channels, 7, 1, 'out').apply(x) as Sym;
  const output = tf.layers.activation({ activation: 'tanh', name: 'tanh' }).apply(x) as Sym;
  return tf.model({ inputs: input, outputs: output, name });
}

/** PatchGAN: one LSGAN score per overlapping 70×70 patch (with layers = 3). */
export function patchDiscriminator(shape: DiscriminatorShape, random: StepRandom, name: string): tf.LayersModel {
  const seeds = initSeeds(random, name);
  const input = tf.input({ shape: [null, null, shape.channels], name: `${name}_in` });
  let x: Sym = input;
  let width = shape.filters;
  for (let i = 0; i <= shape.layers + 1; i++) {
    const last = i === shape.layers + 1;
    const strides = i < shape.layers ? 2 : 1;
    x = tf.layers.zeroPadding2d({ padding: 1, name: `p${i}` }).apply(x) as Sym;
    x = conv(seeds, last ? 1 : width, 4, strides, `c${i}`).apply(x) as Sym;
    if (last) break;
    if (i > 0) x = norm(x, `n${i}`);
    x = tf.layers.leakyReLU({ alpha: 0.2, name: `a${i}` }).apply(x) as Sym;
    width = Math.min(width * 2, shape.filters * 8);
  }
  return tf.model({ inputs: input, outputs: x, name });
}
