// What this machine is, and how fast a tfjs backend multiplies matrices on it.
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { installedAdapter } from './webgpu-setup.js';

/** Field names follow the contract's SystemInfo['device'] so it can be passed through as is. */
export interface DeviceInfo {
  cpu: string;
  /** Logical cores this process may use. */
  cores: number;
  memoryBytes: number;
  freeMemoryBytes: number;
  platform: string;
  arch: string;
  node: string;
  /** WebGPU adapter, once a webgpu probe or init has run in this process. */
  adapter?: string;
}

export function deviceInfo(): DeviceInfo {
  const cpus = os.cpus();
  const adapter = installedAdapter();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    memoryBytes: os.totalmem(),
    freeMemoryBytes: os.freemem(),
    platform: process.platform,
    arch: process.arch,
    node: process.versions.node,
    ...(adapter ? { adapter: adapter.description } : {}),
  };
}

/**
 * Square float32 matmul throughput of `backend` in GFLOP/s over about `seconds`. The size grows
 * until one product takes a measurable slice of the budget, so a slow backend (cpu) is not stuck
 * on a huge matrix and a fast one is not timing dispatch overhead. Restores the previous backend.
 */
export async function matmulProbe(backend: string, seconds = 1): Promise<number> {
  const previous = tf.getBackend();
  if (previous !== backend && !(await tf.setBackend(backend))) {
    throw new Error(`backend ${backend} failed to initialise`);
  }
  try {
    const budgetMs = seconds * 1000;
    let n = 64;
    let best = 0;
    const deadline = performance.now() + budgetMs;
    while (performance.now() < deadline) {
      const a = tf.randomUniform([n, n], -1, 1);
      const b = tf.randomUniform([n, n], -1, 1);
      // Async reads: webgpu's dataSync needs OffscreenCanvas, which Node does not have.
      const product = async (): Promise<void> => {
        const c = tf.matMul(a, b);
        await c.data();
        c.dispose();
      };
      try {
        await product(); // warm-up: shader/operator creation
        const t0 = performance.now();
        let reps = 0;
        do {
          await product();
          reps++;
        } while (performance.now() - t0 < budgetMs / 8 && performance.now() < deadline);
        const ms = (performance.now() - t0) / reps;
        best = Math.max(best, (2 * n ** 3) / ms / 1e6);
        // A single product still under ~1/20 of the budget: measure again at twice the size.
        if (ms * 20 > budgetMs || n >= 2048) break;
      } finally {
        tf.dispose([a, b]);
      }
      n *= 2;
    }
    return Math.round(best * 100) / 100;
  } finally {
    if (previous && previous !== backend) await tf.setBackend(previous);
  }
}
