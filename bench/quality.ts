// The quality bench (#21), run by hand: `npm run bench -- --only quality` (or directly
// `node dist/bench/quality.js [--rows a,b] [--steps N] [--quick]`). Each row trains one of our
// presets and a plain PyTorch loop of the same network, settings and steps (bench/quality_torch.py,
// /usr/bin/python3) on the same images, draws 1,000 samples from each, rounds both to 8-bit
// images, and scores both with the same code (src/metrics/generation-quality.ts) against the same
// held-out images. Writes bench/results/quality.json, docs/QUALITY.md and side-by-side grids under
// assets/demo/quality/. Step counts are fixed, so machine load changes only the wall time.
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TrainSpec } from '../src/contract/runs.js';
import { initTf } from '../src/engine/backends.js';
import { emojiFolder, mnistDigits } from '../src/data/samples.js';
import { loadSquare } from '../src/training/folder-source.js';
import { makeGrid, writeTensorImage } from '../src/inference/image-io.js';
import { generationQuality } from '../src/metrics/generation-quality.js';
import '../src/models/index.js';
import { latentsForSeeds, isGeneratorModel } from '../src/models/common/generator-model.js';
import { getFamily } from '../src/models/registry.js';
import type { ResolvedSpec } from '../src/models/types.js';
import { memoryBatchSource } from '../src/training/memory-source.js';
import { stepRandom } from '../src/training/step-random.js';
import { flag } from './common.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SAMPLES = 1000;

interface Row { id: string; title: string; model: 'vanilla' | 'dcgan'; preset: 'small' | 'default'; data: 'mnist' | 'emoji'; size: number; channels: 1 | 3 }
const ROWS: Row[] = [
  { id: 'vanilla-default-mnist', title: 'Classic GAN `default`, mnist 28 px', model: 'vanilla', preset: 'default', data: 'mnist', size: 28, channels: 1 },
  { id: 'dcgan-small-mnist', title: 'DCGAN `small`, mnist 32 px', model: 'dcgan', preset: 'small', data: 'mnist', size: 32, channels: 1 },
  { id: 'dcgan-default-mnist', title: 'DCGAN `default`, mnist 32 px', model: 'dcgan', preset: 'default', data: 'mnist', size: 32, channels: 1 },
  { id: 'dcgan-small-emoji', title: 'DCGAN `small`, emoji-google 32 px RGB', model: 'dcgan', preset: 'small', data: 'emoji', size: 32, channels: 3 },
];

type Scores = Record<string, number>;
interface RowResult { id: string; title: string; steps: number; batch: number; ours: Scores & { seconds: number }; pytorch: Scores & { seconds: number }; primary: string; ratio: number; date: string }

/** 8-bit images: training set and held-out reference, as our dataset pipeline makes them. */
async function imagesFor(row: Row): Promise<{ train: Uint8Array; trainCount: number; ref: Uint8Array; refCount: number }> {
  const px = row.size * row.size * row.channels;
  const pack = (list: Uint8Array[]) => {
    const out = new Uint8Array(list.length * px);
    list.forEach((b, i) => out.set(b, i * px));
    return out;
  };
  let train: Uint8Array[];
  let ref: Uint8Array[];
  if (row.data === 'mnist') {
    const digits = mnistDigits();
    const resize = async (p: Uint8Array) => (row.size === 28 ? p : new Uint8Array(await sharp(Buffer.from(p), { raw: { width: 28, height: 28, channels: 1 } }).resize(row.size, row.size, { fit: 'cover' }).raw().toBuffer()));
    // digits 0..899 of each class train; 900.. are the held-out reference (the classifier's test split)
    train = await Promise.all(digits.filter((d) => d.index < 900).map((d) => resize(d.pixels)));
    ref = await Promise.all(digits.filter((d) => d.index >= 900).map((d) => resize(d.pixels)));
  } else {
    const folder = emojiFolder('google');
    const files = readdirSync(folder).filter((f) => f.endsWith('.png')).sort();
    const all = await Promise.all(files.map(async (f) => new Uint8Array(await loadSquare(join(folder, f), row.size, row.channels))));
    ref = all.filter((_, i) => i % 10 === 9);
    train = all.filter((_, i) => i % 10 !== 9);
  }
  return { train: pack(train), trainCount: train.length, ref: pack(ref), refCount: ref.length };
}

const toFloat = (u8: Uint8Array, n: number, row: Row) => tf.tidy(() => tf.tensor4d(u8, [n, row.size, row.size, row.channels], 'int32').toFloat().div(127.5).sub(1) as tf.Tensor4D);

async function trainOurs(row: Row, spec: ResolvedSpec, data: Uint8Array, count: number): Promise<{ samples: Uint8Array; seconds: number }> {
  const family = getFamily(spec.model);
  const model = family.create(spec, stepRandom(spec.seed));
  const source = memoryBatchSource(toFloat(data, count, row), ['real'], spec.seed);
  const t0 = performance.now();
  try {
    for (let step = 0; step < spec.steps; step++) {
      const batch = source.next(spec.batch);
      const scalars = model.trainStep(batch, step);
      tf.dispose([...Object.values(batch), ...Object.values(scalars)]);
      if (step % 500 === 0) await new Promise<void>((r) => setImmediate(r));
    }
    const seconds = (performance.now() - t0) / 1000;
    if (!isGeneratorModel(model)) throw new Error('not a generator');
    const z = latentsForSeeds(1_000_000, SAMPLES, model.latentSize);
    const images = model.generate(z);
    const u8 = tf.tidy(() => images.clipByValue(-1, 1).add(1).mul(127.5).round().toInt());
    const samples = Uint8Array.from(await u8.data());
    tf.dispose([z, images, u8]);
    return { samples, seconds };
  } finally {
    source.dispose();
    model.dispose();
  }
}

function trainPytorch(row: Row, spec: ResolvedSpec, dataPath: string, count: number, out: string): { seconds: number } {
  const args = [join(root, 'bench', 'quality_torch.py'), '--data', dataPath, '--count', String(count), '--size', String(row.size), '--channels', String(row.channels),
    '--net', row.model, '--steps', String(spec.steps), '--batch', String(spec.batch), '--lr', String(spec.lr), '--z', String(spec.extra.zDim),
    '--samples', String(SAMPLES), '--out', out, '--threads', '1',
    ...(row.model === 'vanilla' ? ['--hidden1', String(spec.extra.hidden1), '--hidden2', String(spec.extra.hidden2)] : ['--base-filters', String(spec.extra.baseFilters), '--max-filters', String(spec.extra.maxFilters)]),
    ...(spec.diffAugment ? ['--diff-augment'] : [])];
  const line = execFileSync('/usr/bin/python3', args, { encoding: 'utf8', maxBuffer: 1 << 24 }).trim().split('\n').at(-1)!;
  return { seconds: (JSON.parse(line) as { seconds: number }).seconds };
}

async function score(u8: Uint8Array, ref: tf.Tensor4D, row: Row): Promise<{ scores: Scores; primary: string }> {
  const fake = toFloat(u8, SAMPLES, row);
  try {
    return await generationQuality(fake, ref, { swdImages: 256 });
  } finally {
    fake.dispose();
  }
}

async function writeGrids(row: Row, ours: Uint8Array, torch: Uint8Array): Promise<string> {
  const path = join(root, 'assets', 'demo', 'quality', `${row.id}.png`);
  mkdirSync(dirname(path), { recursive: true });
  const grid = tf.tidy(() => {
    const first = (u8: Uint8Array) => makeGrid(toFloat(u8.subarray(0, 64 * row.size * row.size * row.channels), 64, row), 8, 1, 1);
    const a = first(ours);
    const gap = tf.ones([a.shape[0], 8, a.shape[2]]);
    return tf.concat([a, gap, first(torch)], 1) as tf.Tensor3D;
  });
  await writeTensorImage(path, grid);
  grid.dispose();
  return path;
}

function report(results: RowResult[]): string {
  const fmt = (v: number | undefined, d = 4) => (v === undefined ? '—' : v.toFixed(d));
  const lines = [
    '# Generation quality: ours vs a plain PyTorch loop',
    '',
    'Written by `npm run bench -- --only quality` (bench/quality.ts, bench/quality_torch.py). Same network, preset settings, steps and',
    'images on both sides; 1,000 samples each, rounded to 8-bit images, scored by the same code against held-out images',
    '(src/metrics/generation-quality.ts: KID/FID on the project\'s digit classifier for mnist, SWD otherwise; lower is better, except',
    '"confident" and IS). Ours includes the preset\'s EMA generator; the PyTorch loop is plain. Grids: ours left, PyTorch right.',
    '',
    '| row | steps × batch | metric | ours | PyTorch | ours / PyTorch | ours confident / IS | PyTorch confident / IS | grid |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...results.map((r) => `| ${r.title} | ${r.steps.toLocaleString('en')} × ${r.batch} | ${r.primary.replace('quality/', '').toUpperCase()} | ${fmt(r.ours[r.primary])} | ${fmt(r.pytorch[r.primary])} | ${r.ratio.toFixed(2)} | ${r.ours['quality/confident'] !== undefined ? `${Math.round(r.ours['quality/confident']! * 100)} % / ${fmt(r.ours['quality/is'], 2)}` : '—'} | ${r.pytorch['quality/confident'] !== undefined ? `${Math.round(r.pytorch['quality/confident']! * 100)} % / ${fmt(r.pytorch['quality/is'], 2)}` : '—'} | [png](../assets/demo/quality/${r.id}.png) |`),
    '',
    'FID (classifier features, 1,000 vs 1,000) and SWD for every row are in `bench/results/quality-rows.json`.',
    '',
  ];
  return lines.join('\n');
}

const quick = process.argv.includes('--quick');
await initTf((flag('backend') ?? 'wasm') as never);
const only = flag('rows')?.split(',');
const stepsFlag = flag('steps');
// not quality.json: bench/run.ts stores the suite's last JSON line under its name
const resultsPath = join(root, 'bench', 'results', 'quality-rows.json');
let stored: RowResult[] = [];
try {
  stored = JSON.parse(readFileSync(resultsPath, 'utf8')) as RowResult[];
} catch {
  stored = [];
}
for (const row of ROWS.filter((r) => !only || only.includes(r.id))) {
  const spec = getFamily(row.model).resolve(TrainSpec.parse({ task: 'generate', model: row.model, preset: row.preset, size: row.size, channels: row.channels, ...(stepsFlag || quick ? { steps: quick ? 200 : Number(stepsFlag) } : {}) }));
  const data = await imagesFor(row);
  const dir = join(tmpdir(), `gan-quality-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const dataPath = join(dir, `${row.id}.u8`);
  writeFileSync(dataPath, data.train);
  console.error(`${row.id}: ${spec.steps} steps of ${spec.batch}, ${data.trainCount} training images, ${data.refCount} held out`);
  const torchOut = join(dir, `${row.id}-torch.u8`);
  const torch = trainPytorch(row, spec, dataPath, data.trainCount, torchOut);
  console.error(`  pytorch ${torch.seconds} s`);
  const ours = await trainOurs(row, spec, data.train, data.trainCount);
  console.error(`  ours ${ours.seconds.toFixed(0)} s`);
  const ref = toFloat(data.ref, data.refCount, row);
  const torchSamples = new Uint8Array(readFileSync(torchOut));
  const a = await score(ours.samples, ref, row);
  const b = await score(torchSamples, ref, row);
  ref.dispose();
  await writeGrids(row, ours.samples, torchSamples);
  const result: RowResult = {
    id: row.id, title: row.title, steps: spec.steps, batch: spec.batch, primary: a.primary,
    ours: { ...a.scores, seconds: Math.round(ours.seconds) }, pytorch: { ...b.scores, seconds: Math.round(torch.seconds) },
    ratio: a.scores[a.primary]! / b.scores[b.primary]!, date: new Date().toISOString().slice(0, 10),
  };
  console.log(JSON.stringify(result));
  if (!quick) {
    stored = [...stored.filter((r) => r.id !== row.id), result].sort((x, y) => ROWS.findIndex((r) => r.id === x.id) - ROWS.findIndex((r) => r.id === y.id));
    writeFileSync(resultsPath, JSON.stringify(stored, null, 2) + '\n');
    writeFileSync(join(root, 'docs', 'QUALITY.md'), report(stored));
  }
}
// the line bench/run.ts keeps: each row's ours / PyTorch ratio of its headline metric
console.log(JSON.stringify({ report: 'docs/QUALITY.md', ...Object.fromEntries(stored.map((r) => [`${r.id} ours/pytorch`, Number(r.ratio.toFixed(3))])) }));
