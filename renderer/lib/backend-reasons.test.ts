import { afterEach, describe, expect, it } from 'vitest';
import { backendReason } from './backend-reasons.js';
import { i18n } from './i18n.svelte.js';

afterEach(() => i18n.setPreference('en'));

describe('backendReason', () => {
  it('re-says the engine’s reasons in Chinese, keeping commands and adapters as they are', () => {
    i18n.setPreference('zh-CN');
    expect(backendReason('not installed: npm i @tensorflow/tfjs-node-gpu (needs an NVIDIA GPU, CUDA 11.8 and cuDNN 8.6)'))
      .toBe('未安装：npm i @tensorflow/tfjs-node-gpu（需要 NVIDIA GPU、CUDA 11.8 和 cuDNN 8.6）');
    expect(backendReason("chosen: WebAssembly SIMD + XNNPACK with GAN Studio's conv training kernels (2 threads)"))
      .toBe('已选用：WebAssembly SIMD + XNNPACK，使用 GAN Studio 的卷积训练内核（2 个线程）');
    expect(backendReason('software adapter Mesa llvmpipe — slower than wasm; force with --backend webgpu'))
      .toBe('软件适配器 Mesa llvmpipe — 比 wasm 慢；可用 --backend webgpu 强制使用');
    expect(backendReason('something new the engine says')).toBe('something new the engine says');
  });

  it('leaves English as the engine wrote it', () => {
    expect(backendReason('chosen: WebGPU on NVIDIA H200')).toBe('chosen: WebGPU on NVIDIA H200');
  });
});
