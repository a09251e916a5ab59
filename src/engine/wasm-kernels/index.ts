// Registers the wasm kernels that make training work (and fast) on @tensorflow/tfjs-backend-wasm
// 4.22: the missing gradient kernels and faster replacements for slow shipped ones.
import '@tensorflow/tfjs-backend-wasm'; // registers the shipped wasm kernels we wrap or replace
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { makeBatchMatMulConfig } from './batch-matmul.js';
import { makeConcatConfig } from './concat.js';
import { makeSliceConfig } from './slice.js';
import { makeSplitVConfig } from './split-v.js';
import { makeTileConfig } from './tile.js';
import { makeIdentityConfig } from './identity.js';
import { makeMirrorPadConfig, mirrorPadGradConfig } from './mirror-pad.js';
import { instanceNormBackwardConfig, instanceNormForwardConfig } from './instance-norm.js';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import {
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
} from './depthwise-backprop.js';

export { conv2dBackpropFilterWasm } from './conv2d-backprop-filter.js';
export { conv2dBackpropInputWasm } from './conv2d-backprop-input.js';
export { INSTANCE_NORM_KERNELS } from './instance-norm.js';
export { MIRROR_PAD_GRAD_KERNEL } from './mirror-pad.js';

const OURS = Symbol.for('gan-studio.wasm-kernel');

function install(config: KernelConfig): void {
  const current = getKernel(config.kernelName, 'wasm') as (KernelConfig & { [OURS]?: true }) | undefined;
  if (current?.[OURS]) return;
  // unregister first: registerKernel over an existing entry logs a warning on every start.
  if (current) unregisterKernel(config.kernelName, 'wasm');
  registerKernel(Object.assign({}, config, { [OURS]: true }));
}

/** Kernel names this module provides or replaces on the wasm backend. */
export const WASM_TRAINING_KERNELS = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'BatchMatMul',
  'Tile',
  'SplitV',
  'Concat',
  'Slice',
  'MirrorPad',
  'Identity',
  // kernels of our own, called by name from src/models/cyclegan/layers.ts
  'GanStudioInstanceNorm',
  'GanStudioInstanceNormGrad',
  'GanStudioMirrorPadGrad',
] as const;

/**
 * Idempotent. Safe before or after `tf.setBackend('wasm')`: the kernels need no setup of their
 * own and the BatchMatMul wrapper keeps the shipped setup function.
 */
export function registerWasmTrainingKernels(): void {
  install(conv2dBackpropFilterConfig);
  install(conv2dBackpropInputConfig);
  install(depthwiseBackpropFilterConfig);
  install(depthwiseBackpropInputConfig);
  install(instanceNormForwardConfig);
  install(instanceNormBackwardConfig);
  install(mirrorPadGradConfig);
  // These wrap the shipped kernel, which keeps the cases they do not speed up.
  const wraps: Array<[string, (shipped: KernelConfig) => KernelConfig]> = [
    ['BatchMatMul', makeBatchMatMulConfig],
    ['Tile', makeTileConfig],
    ['SplitV', makeSplitVConfig],
    ['Concat', makeConcatConfig],
    ['Slice', makeSliceConfig],
    ['MirrorPad', makeMirrorPadConfig],
    ['Identity', makeIdentityConfig],
  ];
  for (const [name, make] of wraps) {
    const shipped = getKernel(name, 'wasm') as (KernelConfig & { [OURS]?: true }) | undefined;
    if (shipped && !shipped[OURS]) install(make(shipped));
  }
}
