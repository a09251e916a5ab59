// ESRGAN's networks (Wang et al. 2018), sized by the preset: an RRDB generator (dense blocks in
// residual-in-residual, scaled by β, no batch norm) with pixel-shuffle upsampling, and a
// VGG-style discriminator whose intermediate features double as the perceptual loss's
// feature space (ImageNet VGG weights cannot be downloaded here).
import * as tf from '@tensorflow/tfjs';
import type { StepRandom } from '../types.js';
import { initSeeds, type InitSeeds } from '../common/init.js';
import { PixelShuffle, ScaleBy, UpsampleBilinear } from './layers.js';

export interface GeneratorShape {
  channels: number;
  scale: number;
  /** feature channels (ESRGAN: 64) */
  filters: number;
  /** dense-block growth channels (ESRGAN: 32) */
  growth: number;
  /** RRDB blocks (ESRGAN: 23) */
  blocks: number;
  /** dense blocks inside one RRDB (ESRGAN: 3) */
  denseBlocks: number;
  /** learn the residual over a bilinear upsample of the input */
  globalResidual: boolean;
}

const BETA = 0.2;

/** Kaiming-normal init scaled down (×0.1 in ESRGAN) so residual branches start near identity. */
function scaledInit(seeds: InitSeeds, factor: number) {
  return tf.initializers.varianceScaling({ scale: 2 * factor * factor, mode: 'fanIn', distribution: 'normal', seed: seeds.next() });
}

function conv(seeds: InitSeeds, filters: number, name: string, initScale = 1, kernelSize = 3) {
  return tf.layers.conv2d({ filters, kernelSize, padding: 'same', name, kernelInitializer: scaledInit(seeds, initScale) });
}

const lrelu = (name: string) => tf.layers.leakyReLU({ alpha: 0.2, name });

function denseBlock(x: tf.SymbolicTensor, s: GeneratorShape, seeds: InitSeeds, name: string): tf.SymbolicTensor {
  const features: tf.SymbolicTensor[] = [x];
  for (let i = 1; i <= 4; i++) {
    const input = features.length === 1 ? x : (tf.layers.concatenate({ name: `${name}_cat${i}` }).apply([...features]) as tf.SymbolicTensor);
    const y = conv(seeds, s.growth, `${name}_conv${i}`, 0.1).apply(input) as tf.SymbolicTensor;
    features.push(lrelu(`${name}_lrelu${i}`).apply(y) as tf.SymbolicTensor);
  }
  const all = tf.layers.concatenate({ name: `${name}_cat5` }).apply([...features]) as tf.SymbolicTensor;
  const out = conv(seeds, s.filters, `${name}_conv5`, 0.1).apply(all) as tf.SymbolicTensor;
  const scaled = new ScaleBy({ scale: BETA, name: `${name}_beta` }).apply(out) as tf.SymbolicTensor;
  return tf.layers.add({ name: `${name}_add` }).apply([x, scaled]) as tf.SymbolicTensor;
}

function rrdb(x: tf.SymbolicTensor, s: GeneratorShape, seeds: InitSeeds, name: string): tf.SymbolicTensor {
  let y = x;
  for (let d = 0; d < s.denseBlocks; d++) y = denseBlock(y, s, seeds, `${name}_rdb${d}`);
  const scaled = new ScaleBy({ scale: BETA, name: `${name}_beta` }).apply(y) as tf.SymbolicTensor;
  return tf.layers.add({ name: `${name}_add` }).apply([x, scaled]) as tf.SymbolicTensor;
}

/** The pixel-shuffle stages for a scale: ×4 is two ×2 stages (as in ESRGAN's two upsamplings). */
export function upsampleStages(scale: number): number[] {
  if (scale === 4) return [2, 2];
  if (scale === 2 || scale === 3) return [scale];
  throw new Error(`ESRGAN supports ×2, ×3 and ×4, not ×${scale}`);
}

/** [N, h, w, C] in [-1, 1] → [N, h·scale, w·scale, C] in [-1, 1]; any h and w. */
export function esrganGenerator(s: GeneratorShape, random: StepRandom): tf.LayersModel {
  const seeds = initSeeds(random, 'G');
  const input = tf.input({ shape: [null, null, s.channels] as unknown as number[], name: 'lr' });
  const head = conv(seeds, s.filters, 'conv_first').apply(input) as tf.SymbolicTensor;
  let body = head;
  for (let b = 0; b < s.blocks; b++) body = rrdb(body, s, seeds, `rrdb${b}`);
  const trunk = conv(seeds, s.filters, 'conv_trunk').apply(body) as tf.SymbolicTensor;
  let x = tf.layers.add({ name: 'trunk_add' }).apply([head, trunk]) as tf.SymbolicTensor;
  upsampleStages(s.scale).forEach((r, i) => {
    x = conv(seeds, s.filters * r * r, `up${i}_conv`).apply(x) as tf.SymbolicTensor;
    x = new PixelShuffle({ factor: r, name: `up${i}_shuffle` }).apply(x) as tf.SymbolicTensor;
    x = lrelu(`up${i}_lrelu`).apply(x) as tf.SymbolicTensor;
  });
  x = lrelu('hr_lrelu').apply(conv(seeds, s.filters, 'conv_hr').apply(x)) as tf.SymbolicTensor;
  let out = conv(seeds, s.channels, 'conv_last', s.globalResidual ? 0.1 : 1).apply(x) as tf.SymbolicTensor;
  if (s.globalResidual) {
    const base = new UpsampleBilinear({ factor: s.scale, name: 'base_upsample' }).apply(input) as tf.SymbolicTensor;
    out = tf.layers.add({ name: 'residual_add' }).apply([base, out]) as tf.SymbolicTensor;
  }
  return tf.model({ inputs: input, outputs: out, name: 'G' });
}

export interface DiscriminatorShape {
  size: number;
  channels: number;
  /** first stage's channels (ESRGAN: 64), doubled at each stride-2 stage up to 8× */
  filters: number;
  /** stride-2 stages (ESRGAN: 5 for 128 px) */
  stages: number;
}

/**
 * VGG-style: per stage a 3×3 conv then a 4×4 stride-2 conv (BN + LeakyReLU), then a small
 * dense head. Returns the logit model D and `features`, the same layers exposing each stage's
 * output for the feature-matching loss (weights shared, not copied).
 */
export function esrganDiscriminator(s: DiscriminatorShape, random: StepRandom): { D: tf.LayersModel; features: tf.LayersModel } {
  const seeds = initSeeds(random, 'D');
  const init = () => tf.initializers.heNormal({ seed: seeds.next() });
  const input = tf.input({ shape: [s.size, s.size, s.channels], name: 'hr' });
  let x: tf.SymbolicTensor = input;
  const taps: tf.SymbolicTensor[] = [];
  for (let stage = 0; stage < s.stages; stage++) {
    const f = s.filters * Math.min(8, 2 ** stage);
    x = tf.layers.conv2d({ filters: f, kernelSize: 3, padding: 'same', useBias: stage === 0, kernelInitializer: init(), name: `d${stage}_conv3` }).apply(x) as tf.SymbolicTensor;
    if (stage > 0) x = tf.layers.batchNormalization({ momentum: 0.9, name: `d${stage}_bn3` }).apply(x) as tf.SymbolicTensor;
    x = lrelu(`d${stage}_lrelu3`).apply(x) as tf.SymbolicTensor;
    x = tf.layers.conv2d({ filters: f, kernelSize: 4, strides: 2, padding: 'same', useBias: false, kernelInitializer: init(), name: `d${stage}_conv4` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ momentum: 0.9, name: `d${stage}_bn4` }).apply(x) as tf.SymbolicTensor;
    taps.push(x); // before the activation, as ESRGAN takes VGG features
    x = lrelu(`d${stage}_lrelu4`).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.globalAveragePooling2d({ name: 'd_pool' }).apply(x) as tf.SymbolicTensor;
  x = lrelu('d_dense_lrelu').apply(tf.layers.dense({ units: 100, kernelInitializer: init(), name: 'd_dense' }).apply(x)) as tf.SymbolicTensor;
  const logit = tf.layers.dense({ units: 1, kernelInitializer: init(), name: 'd_logit' }).apply(x) as tf.SymbolicTensor;
  const D = tf.model({ inputs: input, outputs: logit, name: 'D' });
  const features = tf.model({ inputs: input, outputs: [...taps, logit], name: 'D_features' });
  return { D, features };
}
