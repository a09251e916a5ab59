// A tf.LayersModel read as a chain of blocks: linear layer (dense, conv2d, conv2dTranspose) →
// optional batch norm → optional activation. Reshape and Flatten are free in NHWC. Anything
// else raises a CompileError naming the layer, and the run stays on the tfjs path.
import type * as tf from '@tensorflow/tfjs';
import { CompileError } from './gpu-context.js';
import type { ActName } from './wgsl-common.js';

/** Big side B [BH,BW,BC], small side S [SH,SW,SC], filter [KH,KW,BC,SC] (see wgsl-gemm.ts). */
export interface ConvGeometry {
  BH: number; BW: number; BC: number;
  SH: number; SW: number; SC: number;
  KH: number; KW: number; stride: number; pt: number; pl: number;
}

export interface Block {
  /** 'forward' = input is the big side (dense, conv2d); 'transposed' = input is the small side */
  direction: 'forward' | 'transposed';
  layerName: string;
  geometry: ConvGeometry;
  /** indices into net.weights */
  kernel: number;
  bias: number | null;
  /** `channels` is the norm's own axis (a dense layer reshaped to NHWC normalises fewer channels than it has units) */
  bn: { gamma: number; beta: number; mean: number; variance: number; epsilon: number; oneMinusMomentum: number; channels: number } | null;
  act: ActName;
  alpha: number;
  /** per-example sizes */
  inSize: number;
  outSize: number;
}

interface LayerConfig {
  units?: number; activation?: string; useBias?: boolean; kernelSize?: number[]; strides?: number[];
  padding?: string; dataFormat?: string; dilationRate?: number | number[]; axis?: number | number[];
  momentum?: number; epsilon?: number; center?: boolean; scale?: boolean; alpha?: number; maxValue?: number | null;
}

const size = (shape: readonly (number | null)[]): number => shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);

function samePad(big: number, small: number, k: number, s: number, padding: string): number {
  return padding === 'same' ? Math.floor(Math.max((small - 1) * s + k - big, 0) / 2) : 0;
}

function activationOf(name: string | undefined, layer: string): ActName {
  if (!name || name === 'linear') return 'none';
  if (name === 'relu') return 'relu';
  if (name === 'tanh') return 'tanh';
  throw new CompileError(`layer ${layer}: activation "${name}" is not compiled (relu, tanh, leakyReLU are)`);
}

export function readBlocks(net: tf.LayersModel): Block[] {
  const index = new Map<unknown, number>(net.weights.map((w, i) => [w, i]));
  const weightIndex = (layer: tf.layers.Layer, i: number) => {
    const at = index.get(layer.weights[i]);
    if (at === undefined) throw new CompileError(`layer ${layer.name}: weight ${i} is not one of the network's weights`);
    return at;
  };
  const blocks: Block[] = [];
  for (const layer of net.layers) {
    const kind = layer.getClassName();
    const config = layer.getConfig() as LayerConfig;
    const inShape = (layer.input as tf.SymbolicTensor).shape;
    const outShape = layer.outputShape as (number | null)[];
    const last = blocks[blocks.length - 1];
    if (kind === 'Reshape' || kind === 'Flatten' || kind === 'InputLayer') continue;
    if (kind === 'Dense' || kind === 'Conv2D' || kind === 'Conv2DTranspose') {
      const act = activationOf(config.activation, layer.name);
      let geometry: ConvGeometry;
      if (kind === 'Dense') {
        if (inShape.length !== 2) throw new CompileError(`layer ${layer.name}: dense on a rank-${inShape.length} input (flatten first)`);
        geometry = { BH: 1, BW: 1, BC: inShape[1]!, SH: 1, SW: 1, SC: config.units!, KH: 1, KW: 1, stride: 1, pt: 0, pl: 0 };
      } else {
        const [KH, KW] = config.kernelSize!;
        const [sh, sw] = config.strides!;
        const dil = [config.dilationRate ?? 1].flat();
        if (config.dataFormat !== 'channelsLast' || dil.some((d) => d !== 1) || sh !== sw) {
          throw new CompileError(`layer ${layer.name}: only channels-last, undilated, square-stride convolutions are compiled`);
        }
        const [big, small] = kind === 'Conv2D' ? [inShape, outShape] : [outShape, inShape];
        const [BH, BW, BC] = big.slice(1) as number[];
        const [SH, SW, SC] = small.slice(1) as number[];
        const padding = config.padding ?? 'valid';
        if (BH !== SH! * sh! || BW !== SW! * sh!) throw new CompileError(`layer ${layer.name}: the output must be exactly stride × the input (${BH}×${BW} vs ${SH}×${SW})`);
        geometry = {
          BH: BH!, BW: BW!, BC: BC!, SH: SH!, SW: SW!, SC: SC!, KH: KH!, KW: KW!, stride: sh!,
          pt: samePad(BH!, SH!, KH!, sh!, padding), pl: samePad(BW!, SW!, KW!, sh!, padding),
        };
      }
      blocks.push({
        direction: kind === 'Conv2DTranspose' ? 'transposed' : 'forward',
        layerName: layer.name,
        geometry,
        kernel: weightIndex(layer, 0),
        bias: config.useBias === false ? null : weightIndex(layer, 1),
        bn: null,
        act,
        alpha: 0,
        inSize: size(inShape),
        outSize: size(outShape),
      });
      continue;
    }
    if (!last) throw new CompileError(`layer ${layer.name} (${kind}) before any dense/conv layer is not compiled`);
    if (kind === 'BatchNormalization') {
      const axis = [config.axis ?? -1].flat();
      if (last.bn || last.act !== 'none') throw new CompileError(`layer ${layer.name}: batch norm after an activation is not compiled`);
      if (axis.length !== 1 || (axis[0] !== -1 && axis[0] !== inShape.length - 1) || config.center === false || config.scale === false) {
        throw new CompileError(`layer ${layer.name}: only last-axis batch norm with centre and scale is compiled`);
      }
      last.bn = {
        gamma: weightIndex(layer, 0), beta: weightIndex(layer, 1), mean: weightIndex(layer, 2), variance: weightIndex(layer, 3),
        epsilon: config.epsilon ?? 1e-3, oneMinusMomentum: 1 - (config.momentum ?? 0.99), channels: inShape[inShape.length - 1]!,
      };
      continue;
    }
    if (kind === 'ReLU' || kind === 'LeakyReLU' || kind === 'Activation') {
      if (last.act !== 'none') throw new CompileError(`layer ${layer.name}: two activations in a row are not compiled`);
      if (kind === 'ReLU' && config.maxValue != null) throw new CompileError(`layer ${layer.name}: capped ReLU is not compiled`);
      if (kind === 'LeakyReLU') {
        last.act = 'leakyRelu';
        last.alpha = config.alpha ?? 0.3;
      } else {
        last.act = kind === 'ReLU' ? 'relu' : activationOf(config.activation, layer.name);
      }
      continue;
    }
    throw new CompileError(`layer ${layer.name} (${kind}) is not compiled`);
  }
  if (blocks.length === 0) throw new CompileError(`${net.name} has no dense or conv layer`);
  return blocks;
}
