// Moving state between the tfjs model and the arena, GPU to GPU: the tfjs model stays the
// source of truth for checkpoints, export and sampling, so a run can switch paths at any sync.
import * as tf from '@tensorflow/tfjs';
import { flushTfjs, tensorBuffer, type Region, type TfWebGpuBackend } from './gpu-context.js';

/** What an AdamOptimizer keeps (tfjs-core 4.22), read and written by position. */
export interface AdamInternals {
  accumulatedFirstMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
  accumulatedSecondMoment: Array<{ originalName: string; variable: tf.Variable } | undefined>;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  iterations_: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export interface SyncEntry {
  region: Region;
  /** the tensor to read from (arena ← tfjs), or undefined to leave the region as it is */
  read?: tf.Tensor;
  /** receives a fresh tensor with the region's values (tfjs ← arena); must not keep it */
  write: (t: tf.Tensor) => void;
  shape: number[];
}

/** Copies each entry's tensor into its region, in one submit after tfjs's pending work. */
export function copyIntoArena(backend: TfWebGpuBackend, arena: GPUBuffer, entries: SyncEntry[]): void {
  const sources = entries.map((e) => (e.read ? tensorBuffer(backend, e.read) : null));
  flushTfjs(backend);
  const encoder = backend.device.createCommandEncoder();
  entries.forEach((e, i) => {
    const src = sources[i];
    if (src && e.region.length > 0) encoder.copyBufferToBuffer(src, 0, arena, e.region.offset * 4, e.region.length * 4);
  });
  backend.queue.submit([encoder.finish()]);
}

/** Hands each entry a tfjs tensor holding its region's current values (then disposes it). */
export function copyOutOfArena(backend: TfWebGpuBackend, arena: GPUBuffer, entries: SyncEntry[]): void {
  const device = backend.device;
  flushTfjs(backend);
  const encoder = device.createCommandEncoder();
  const staging = entries.map((e) => {
    const bytes = Math.max(4, e.region.length * 4);
    const buffer = device.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
    if (e.region.length > 0) encoder.copyBufferToBuffer(arena, e.region.offset * 4, buffer, 0, e.region.length * 4);
    return buffer;
  });
  backend.queue.submit([encoder.finish()]);
  entries.forEach((e, i) => {
    // tfjs copies the buffer into one of its own (and submits that copy at once)
    const t = tf.tensor({ buffer: staging[i]! }, e.shape, 'float32');
    try {
      e.write(t);
    } finally {
      t.dispose();
      staging[i]!.destroy();
    }
  });
}

/** Entries for an Adam optimizer's moments over `vars` (trainable variables in network order). */
export function adamEntries(opt: AdamInternals, vars: tf.Variable[], regions: { m: Region[]; v: Region[] }): SyncEntry[] {
  const entries: SyncEntry[] = [];
  for (const [slot, list, suffix] of [['m', opt.accumulatedFirstMoment, 'm'], ['v', opt.accumulatedSecondMoment, 'v']] as const) {
    vars.forEach((variable, j) => {
      const existing = list[j];
      entries.push({
        region: regions[slot][j]!,
        shape: variable.shape.slice(),
        read: existing?.variable,
        write: (t) => {
          const now = list[j];
          if (now) now.variable.assign(t);
          else list[j] = { originalName: `${variable.name}/${suffix}`, variable: t.variable(false) };
        },
      });
    });
  }
  return entries;
}

/** tfjs's bias-correction state after `applyGradients` ran: β^(t+1) as float32 products. */
export class AdamClock {
  acc1: number;
  acc2: number;
  constructor(private readonly opt: AdamInternals, acc1: number, acc2: number) {
    this.acc1 = acc1;
    this.acc2 = acc2;
  }
  static async of(opt: AdamInternals): Promise<AdamClock> {
    const [a, b] = await Promise.all([opt.accBeta1.data(), opt.accBeta2.data()]);
    return new AdamClock(opt, a[0]!, b[0]!);
  }
  /** [1 − β1^t, 1 − β2^t] as tfjs computes them (sub(1, acc) in float32) */
  corrections(): [number, number] {
    return [Math.fround(1 - this.acc1), Math.fround(1 - this.acc2)];
  }
  tick(): void {
    this.acc1 = Math.fround(this.acc1 * Math.fround(this.opt.beta1));
    this.acc2 = Math.fround(this.acc2 * Math.fround(this.opt.beta2));
    this.opt.iterations_ = (this.opt.iterations_ ?? 0) + 1;
  }
  /** Writes the clock back into the optimizer's own variables. */
  store(): void {
    tf.tidy(() => {
      this.opt.accBeta1.assign(tf.scalar(this.acc1));
      this.opt.accBeta2.assign(tf.scalar(this.acc2));
    });
  }
}
