// What the training and inference suites share: timing a GanModel's steps the same way in every
// suite (warm-up, one sync per step, median), and memory figures (tensors, tensor bytes, the wasm
// heap, process RSS) so memory is read the same way everywhere.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import type { GanModel, TrainBatch } from '../src/models/types.js';

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const round = (n: number, digits = 1): number => Number(n.toFixed(digits));
/** Median milliseconds of `reps` calls of `run`, after one untimed call that builds kernels. */
export async function medianMs(run: () => Promise<void>, reps: number): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  return median(times);
}

const MB = 2 ** 20;

/** Resident and high-water resident memory of this process (Linux), in MB. */
export function processRss(): { rssMB: number; peakRssMB: number | null } {
  let peakRssMB: number | null = null;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) peakRssMB = round(Number(m[1]) / 1024);
  } catch { /* not Linux */ }
  return { rssMB: round(process.memoryUsage().rss / MB), peakRssMB };
}

/**
 * The wasm backend's linear memory in MB. It only ever grows, so it is the high-water mark of
 * what tensors and kernel scratch needed on wasm (numBytes only counts live tensors); null on
 * other backends.
 */
export function wasmHeapMB(): number | null {
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  const heap = backend.wasm?.HEAPU8;
  return heap ? round(heap.buffer.byteLength / MB) : null;
}

export interface MemorySample {
  step: number;
  numTensors: number;
  tensorMB: number;
  rssMB: number;
  wasmHeapMB: number | null;
}

export function memorySample(step: number): MemorySample {
  const m = tf.memory();
  return { step, numTensors: m.numTensors, tensorMB: round(m.numBytes / MB, 2), rssMB: processRss().rssMB, wasmHeapMB: wasmHeapMB() };
}

/** Runs one training step and waits for its results, so timing covers the work. */
export async function syncedStep(model: GanModel, batch: TrainBatch, step: number): Promise<void> {
  const losses = model.trainStep(batch, step);
  // one sync per step (the training loop itself syncs only every N steps)
  await Promise.all(Object.values(losses).map((l) => l.data()));
  tf.dispose(Object.values(losses));
}

export interface StepTiming {
  step_ms: number;
  steps_per_s: number;
  images_per_s: number;
  /** numTensors after the timed steps equals numTensors before them; null without a warm-up (the first step creates the optimizer slots) */
  tensors_stable: boolean | null;
}

/** Median wall time of `steps` synced steps after `warmup` untimed ones. */
export async function timeSteps(model: GanModel, batch: TrainBatch, imagesPerStep: number, steps: number, warmup = 1): Promise<StepTiming> {
  for (let i = 0; i < warmup; i++) await syncedStep(model, batch, i);
  const before = tf.memory().numTensors;
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    await syncedStep(model, batch, warmup + i);
    times.push(performance.now() - t);
  }
  const ms = median(times);
  return {
    step_ms: round(ms),
    steps_per_s: round(1000 / ms, 3),
    images_per_s: round((imagesPerStep * 1000) / ms, 2),
    tensors_stable: warmup > 0 ? tf.memory().numTensors === before : null,
  };
}

/** Flag value of `--name=value` or `--name value`. */
export function flag(name: string): string | undefined {
  const argv = process.argv;
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  if (eq) return eq.slice(name.length + 3);
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

/**
 * Where one step's time goes, by kernel (wall ms as the backend reports it), printed with the
 * step's wall time: what the kernels do not account for is per-op overhead (dispatch, tape, JS).
 */
export async function profileStep(step: () => void | Promise<void>): Promise<void> {
  const started = performance.now();
  const info = await tf.profile(step);
  const wall = performance.now() - started;
  const byKernel = new Map<string, { ms: number; calls: number }>();
  let total = 0;
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const e = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
    e.ms += ms;
    e.calls++;
    byKernel.set(k.name, e);
    total += ms;
  }
  const top = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, Number(process.env.GAN_STUDIO_PROFILE_TOP ?? 12));
  console.error(`  step ${wall.toFixed(0)} ms wall (profiled), kernel time ${total.toFixed(0)} ms in ${info.kernels.length} kernel calls; top kernels:`);
  for (const [name, e] of top) {
    console.error(`  ${name.padEnd(24)} ${e.ms.toFixed(0).padStart(6)} ms ${((100 * e.ms) / total).toFixed(1).padStart(5)}% (${e.calls} calls)`);
  }
}

/**
 * Useful FLOPs per image of one reference step, counted from the layer shapes (2 FLOP per MAC):
 * G forward ≈ 35.9 MFLOP, D forward ≈ 35.1 MFLOP; a step is D fwd+bwd on real and on fake
 * (3·D each), G forward once (1·G), then D fwd+bwd to the input and G bwd for the G update
 * (3·D + 2·G) — 9·D + 3·G ≈ 424 MFLOP per image. Backward ≈ 2× forward.
 */
export function dcgan32FlopsPerImage(channels = 3): number {
  const macsG = 100 * 4096 + 4 * 4 * 256 * 128 * 16 + 8 * 8 * 128 * 64 * 16 + 16 * 16 * 64 * channels * 16;
  const macsD = 16 * 16 * 64 * channels * 16 + 8 * 8 * 128 * 64 * 16 + 4 * 4 * 256 * 128 * 16 + 4096;
  return 2 * (9 * macsD + 3 * macsG);
}
