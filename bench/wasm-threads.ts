// The threaded wasm binary (GAN_STUDIO_WASM_THREADS) against the single-threaded one, on the
// CycleGAN `small` preset: training at batch 1 and 4, and 256² inference. A tfjs backend starts
// once per process, so each thread count runs in a child of this script (the same file with
// --child); the ratios come from the one invocation. Prints one JSON line.
// Flags: --quick (fewer steps), --threads=N (the threaded side, default 2).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { initTf } from '../src/engine/backends.js';
import { wasmThreads } from '../src/engine/wasm-setup.js';
import { round } from './common.js';
import { inferenceSpeed, trainSpeed } from './cyclegan-speed.js';

const quick = process.argv.includes('--quick');
const threaded = Number(process.argv.find((a) => a.startsWith('--threads='))?.slice(10) ?? 2);
const BATCHES = [1, 4];

interface Side {
  threads: number;
  note?: string;
  train: Array<{ batch: number; step_ms: number; images_per_s: number }>;
  inference: { ms_per_image: number };
}

async function child(): Promise<void> {
  const { chosen } = await initTf('wasm');
  if (chosen !== 'wasm') throw new Error(`wanted the wasm backend, got ${chosen}`);
  const train = [];
  for (const batch of BATCHES) train.push(await trainSpeed('small', 64, quick ? 2 : 4, { batch }));
  const inference = await inferenceSpeed('small', 256, quick ? 2 : 3);
  const side: Side = { ...wasmThreads(), train, inference };
  console.log(JSON.stringify(side));
}

function runSide(threads: number): Side {
  const args = [fileURLToPath(import.meta.url), '--child', ...(quick ? ['--quick'] : [])];
  const out = execFileSync(process.execPath, args, {
    env: { ...process.env, GAN_STUDIO_WASM_THREADS: String(threads) },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Side;
}

if (process.argv.includes('--child')) {
  await child();
} else {
  const one = runSide(1);
  const many = runSide(threaded);
  const rows = BATCHES.map((batch, i) => ({
    batch,
    single_ms: one.train[i]!.step_ms,
    threaded_ms: many.train[i]!.step_ms,
    speedup: round(one.train[i]!.step_ms / many.train[i]!.step_ms, 2),
  }));
  console.log(JSON.stringify({
    threads: many.threads,
    ...(many.note ? { note: many.note } : {}),
    train: rows,
    inference: {
      single_ms: one.inference.ms_per_image,
      threaded_ms: many.inference.ms_per_image,
      speedup: round(one.inference.ms_per_image / many.inference.ms_per_image, 2),
    },
  }));
}
