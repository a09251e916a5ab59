// The quality bench (#21), run by hand: `npm run bench -- --only quality` (or directly
// `node dist/bench/quality.js [--rows a,b] [--steps N] [--score-every K] [--quick] [--report-only]`). Each row trains one of our
// presets and a plain PyTorch loop of the same network, settings and steps (bench/quality_torch.py,
// /usr/bin/python3) on the same images, draws 1,000 samples from each, rounds both to 8-bit
// images, and scores both with the same code (src/metrics/generation-quality.ts) against the same
// held-out images. Writes bench/results/quality.json, docs/QUALITY.md and side-by-side grids under
// assets/demo/quality/. Step counts are fixed, so machine load changes only the wall time; the
// PyTorch loop runs beside ours (two processes) for the same reason. `--score-every K` also scores
// both sides every K steps (a curve: at how many steps each reaches a score). Rows started in
// parallel processes each merge their own row into the results file.
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TrainSpec } from '../src/contract/runs.js';
import { initTf } from '../src/engine/backends.js';
import { emojiFolder, mnistDigits } from '../src/data/samples.js';
import { loadSquare } from '../src/training/folder-source.js';
import { makeGrid, tensorToRaw } from '../src/data/image-io.js';
import { generationQuality } from '../src/metrics/generation-quality.js';
import '../src/models/index.js';
import { latentsForSeeds, isGeneratorModel, type GeneratorModel } from '../src/models/common/generator-model.js';
import { getFamily } from '../src/models/registry.js';
import type { ResolvedSpec } from '../src/models/types.js';
import { memoryBatchSource } from '../src/training/memory-source.js';
import { stepRandom } from '../src/models/step-random.js';
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
/** one point of a curve: both sides scored after `step` steps (ours with EMA and, when it has one, without) */
interface CurvePoint { step: number; ours: Scores; oursRaw?: Scores; pytorch: Scores }
interface RowResult {
  id: string; title: string; steps: number; presetSteps?: number; batch: number; ours: Scores & { seconds: number }; pytorch: Scores & { seconds: number };
  /** ours sampled from the live generator, as the PyTorch loop samples (only when the preset keeps an EMA) */
  oursRaw?: Scores; primary: string; ratio: number; date: string; curve?: CurvePoint[];
}

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
    const resize = async (p: Uint8Array) => (row.size === 28 ? p : new Uint8Array(await sharp(Buffer.from(p), { raw: { width: 28, height: 28, channels: 1 } }).resize(row.size, row.size, { fit: 'cover' }).toColourspace('b-w').raw().toBuffer()));
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

const toU8 = async (images: tf.Tensor4D): Promise<Uint8Array> => {
  const u8 = tf.tidy(() => images.clipByValue(-1, 1).add(1).mul(127.5).round().toInt());
  const out = Uint8Array.from(await u8.data());
  tf.dispose([images, u8]);
  return out;
};

interface OursSamples { samples: Uint8Array; raw?: Uint8Array }

/** 1,000 samples as a user gets them (EMA weights when the preset keeps them) and, with EMA, from the live G. */
async function sampleOurs(model: GeneratorModel, ema: boolean): Promise<OursSamples> {
  const z = latentsForSeeds(1_000_000, SAMPLES, model.latentSize);
  try {
    const samples = await toU8(model.generate(z));
    const raw = ema ? await toU8(tf.tidy(() => model.networks.G!.apply(z, { training: false }) as tf.Tensor4D)) : undefined;
    return { samples, ...(raw ? { raw } : {}) };
  } finally {
    z.dispose();
  }
}

async function trainOurs(row: Row, spec: ResolvedSpec, data: Uint8Array, count: number, scoreEvery: number): Promise<OursSamples & { seconds: number; along: Map<number, OursSamples> }> {
  const family = getFamily(spec.model);
  const model = family.create(spec, stepRandom(spec.seed));
  if (!isGeneratorModel(model)) throw new Error('not a generator');
  const source = memoryBatchSource(toFloat(data, count, row), ['real'], spec.seed);
  const along = new Map<number, OursSamples>();
  let sampling = 0;
  const t0 = performance.now();
  try {
    for (let step = 0; step < spec.steps; step++) {
      const batch = source.next(spec.batch);
      const scalars = model.trainStep(batch, step);
      tf.dispose([...Object.values(batch), ...Object.values(scalars)]);
      if (step % 50 === 0) await new Promise<void>((r) => setImmediate(r));
      if ((step + 1) % 100 === 0) console.error(`  ours step ${step + 1}, ${(process.cpuUsage().user / 1e6).toFixed(0)} cpu s`);
      if (scoreEvery && (step + 1) % scoreEvery === 0 && step + 1 < spec.steps) {
        const t1 = performance.now();
        along.set(step + 1, await sampleOurs(model, Boolean(spec.ema)));
        sampling += performance.now() - t1;
      }
    }
    const seconds = (performance.now() - t0 - sampling) / 1000;
    return { ...(await sampleOurs(model, Boolean(spec.ema))), seconds, along };
  } finally {
    source.dispose();
    model.dispose();
  }
}

async function trainPytorch(row: Row, spec: ResolvedSpec, dataPath: string, count: number, out: string, scoreEvery: number): Promise<{ seconds: number }> {
  const args = [join(root, 'bench', 'quality_torch.py'), '--data', dataPath, '--count', String(count), '--size', String(row.size), '--channels', String(row.channels),
    '--net', row.model, '--steps', String(spec.steps), '--batch', String(spec.batch), '--lr', String(spec.lr), '--z', String(spec.extra.zDim),
    '--samples', String(SAMPLES), '--out', out, '--threads', '1',
    ...(row.model === 'vanilla' ? ['--hidden1', String(spec.extra.hidden1), '--hidden2', String(spec.extra.hidden2)] : ['--base-filters', String(spec.extra.baseFilters), '--max-filters', String(spec.extra.maxFilters)]),
    ...(spec.diffAugment ? ['--diff-augment'] : []), ...(scoreEvery ? ['--sample-every', String(scoreEvery)] : [])];
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = execFile('/usr/bin/python3', args, { encoding: 'utf8', maxBuffer: 1 << 24 }, (error, out) => (error ? reject(error) : resolve(out)));
    child.stderr?.on('data', (chunk: string) => process.stderr.write(`  ${chunk}`));
  });
  return { seconds: (JSON.parse(stdout.trim().split('\n').at(-1)!) as { seconds: number }).seconds };
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
  const raw = await tensorToRaw(grid);
  grid.dispose();
  // small files for the repository: gray stays one channel, colour becomes a 256-colour palette
  const image = sharp(Buffer.from(raw.data), { raw: { width: raw.width, height: raw.height, channels: raw.channels } });
  writeFileSync(path, await (row.channels === 1 ? image.toColourspace('b-w').png({ compressionLevel: 9 }) : image.png({ compressionLevel: 9, palette: true })).toBuffer());
  return path;
}

const pct = (v: number | undefined) => (v === undefined ? '—' : `${Math.round(v * 100)} %`);
const fmt = (v: number | undefined, d = 4) => (v === undefined ? '—' : v.toFixed(d));

/** The first curve point (or the end) where a side's confident share reaches `share`. */
function stepsToConfident(r: RowResult, side: 'ours' | 'pytorch', share: number): string {
  const hit = (r.curve ?? []).find((p) => (p[side]['quality/confident'] ?? 0) >= share);
  if (hit) return hit.step.toLocaleString('en');
  return (r[side]['quality/confident'] ?? 0) >= share ? r.steps.toLocaleString('en') : `not by ${r.steps.toLocaleString('en')}`;
}

function report(results: RowResult[]): string {
  const metric = (r: RowResult) => r.primary.replace('quality/', '').toUpperCase();
  const curves = results.filter((r) => r.curve?.length);
  const lines = [
    '# Generation quality: ours vs a plain PyTorch loop',
    '',
    'Written by `npm run bench -- --only quality` (bench/quality.ts, bench/quality_torch.py). Same network, preset settings, steps and',
    'images on both sides; 1,000 samples each, rounded to 8-bit images, scored by the same code against held-out images',
    '(src/metrics/generation-quality.ts: KID (×10³) / FID on the project\'s digit classifier for mnist, SWD otherwise; lower is better, except',
    '"confident" (top class ≥ 0.9) and IS). "Ours" samples the preset\'s EMA generator, as a user gets it; "ours, live G" samples the raw',
    'generator the way the PyTorch loop (which keeps no EMA) does. Grids: ours left, PyTorch right. A row marked "(preset N)" ran fewer',
    'steps than its preset (`--steps`, e.g. on a busy machine): a fair comparison at equal steps, not the preset\'s final quality.',
    '',
    '| row | steps × batch | metric | ours | ours, live G | PyTorch | ours / PyTorch | confident: ours / live G / PyTorch | IS: ours / PyTorch | grid |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...results.map((r) => `| ${r.title} | ${r.steps.toLocaleString('en')}${r.presetSteps && r.presetSteps !== r.steps ? ` (preset ${r.presetSteps.toLocaleString('en')})` : ''} × ${r.batch} | ${metric(r)} | ${fmt(r.ours[r.primary])} | ${fmt(r.oursRaw?.[r.primary])} | ${fmt(r.pytorch[r.primary])} | ${r.ratio.toFixed(2)} | ${pct(r.ours['quality/confident'])} / ${pct(r.oursRaw?.['quality/confident'])} / ${pct(r.pytorch['quality/confident'])} | ${fmt(r.ours['quality/is'], 2)} / ${fmt(r.pytorch['quality/is'], 2)} | [png](../assets/demo/quality/${r.id}.png) |`),
    '',
    'FID (classifier features, 1,000 vs 1,000), SWD and each side\'s training seconds (machine load included, so not a speed figure) are in',
    '`bench/results/quality-rows.json`.',
    ...(curves.length ? [
      '',
      '## Along the run',
      '',
      `Both sides scored every few steps (\`--score-every\`), ${metric(curves[0]!)} and confident share (ours / ours, live G / PyTorch):`,
      '',
      ...curves.flatMap((r) => [
        `**${r.title}** — 75 % confident at step ${stepsToConfident(r, 'ours', 0.75)} (ours), ${stepsToConfident(r, 'pytorch', 0.75)} (PyTorch)`,
        '',
        '| step | ours | ours, live G | PyTorch | confident |',
        '| --- | --- | --- | --- | --- |',
        ...[...r.curve!, { step: r.steps, ours: r.ours, oursRaw: r.oursRaw, pytorch: r.pytorch } as CurvePoint].map((p) => `| ${p.step.toLocaleString('en')} | ${fmt(p.ours[r.primary])} | ${fmt(p.oursRaw?.[r.primary])} | ${fmt(p.pytorch[r.primary])} | ${pct(p.ours['quality/confident'])} / ${pct(p.oursRaw?.['quality/confident'])} / ${pct(p.pytorch['quality/confident'])} |`),
        '',
      ]),
    ] : ['']),
  ];
  return lines.join('\n');
}

const quick = process.argv.includes('--quick');
await initTf((flag('backend') ?? 'wasm') as never);
const only = flag('rows')?.split(',');
const stepsFlag = flag('steps');
const scoreEvery = Number(flag('score-every') ?? 0);
// not quality.json: bench/run.ts stores the suite's last JSON line under its name
const resultsPath = join(root, 'bench', 'results', 'quality-rows.json');
const readStored = (): RowResult[] => (existsSync(resultsPath) ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as RowResult[]) : []);
let stored = readStored();
// --report-only: rewrite docs/QUALITY.md from the stored rows, training nothing
for (const row of ROWS.filter((r) => (!only || only.includes(r.id)) && !process.argv.includes('--report-only'))) {
  const presetSteps = getFamily(row.model).resolve(TrainSpec.parse({ task: 'generate', model: row.model, preset: row.preset })).steps;
  const spec = getFamily(row.model).resolve(TrainSpec.parse({ task: 'generate', model: row.model, preset: row.preset, size: row.size, channels: row.channels, ...(stepsFlag || quick ? { steps: quick ? 200 : Number(stepsFlag) } : {}) }));
  const data = await imagesFor(row);
  const dir = join(tmpdir(), `gan-quality-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const dataPath = join(dir, `${row.id}.u8`);
  writeFileSync(dataPath, data.train);
  console.error(`${row.id}: ${spec.steps} steps of ${spec.batch}, ${data.trainCount} training images, ${data.refCount} held out`);
  const torchOut = join(dir, `${row.id}-torch.u8`);
  // the PyTorch loop trains beside ours: a second process, the same steps
  const torchRun = trainPytorch(row, spec, dataPath, data.trainCount, torchOut, scoreEvery);
  const ours = await trainOurs(row, spec, data.train, data.trainCount, scoreEvery);
  console.error(`  ours ${ours.seconds.toFixed(0)} s`);
  const torch = await torchRun;
  console.error(`  pytorch ${torch.seconds} s`);
  const ref = toFloat(data.ref, data.refCount, row);
  const scoreAll = async (o: OursSamples, torchSamples: Uint8Array) => ({
    ours: await score(o.samples, ref, row), oursRaw: o.raw ? (await score(o.raw, ref, row)).scores : undefined, pytorch: (await score(torchSamples, ref, row)).scores,
  });
  const curve: CurvePoint[] = [];
  for (const [step, samples] of ours.along) {
    const path = `${torchOut}.${step}`;
    if (!existsSync(path)) continue;
    const s = await scoreAll(samples, new Uint8Array(readFileSync(path)));
    curve.push({ step, ours: s.ours.scores, ...(s.oursRaw ? { oursRaw: s.oursRaw } : {}), pytorch: s.pytorch });
    console.error(`  step ${step}: ${JSON.stringify(curve.at(-1))}`);
  }
  const torchSamples = new Uint8Array(readFileSync(torchOut));
  const final = await scoreAll(ours, torchSamples);
  ref.dispose();
  await writeGrids(row, ours.samples, torchSamples);
  const { primary } = final.ours;
  const result: RowResult = {
    id: row.id, title: row.title, steps: spec.steps, presetSteps, batch: spec.batch, primary,
    ours: { ...final.ours.scores, seconds: Math.round(ours.seconds) }, ...(final.oursRaw ? { oursRaw: final.oursRaw } : {}),
    pytorch: { ...final.pytorch, seconds: Math.round(torch.seconds) },
    ratio: final.ours.scores[primary]! / final.pytorch[primary]!, date: new Date().toISOString().slice(0, 10), ...(curve.length ? { curve } : {}),
  };
  console.log(JSON.stringify(result));
  if (!quick) {
    // re-read: rows run in parallel processes each merge their own row
    stored = [...readStored().filter((r) => r.id !== row.id), result].sort((x, y) => ROWS.findIndex((r) => r.id === x.id) - ROWS.findIndex((r) => r.id === y.id));
    writeFileSync(resultsPath, JSON.stringify(stored, null, 2) + '\n');
    writeFileSync(join(root, 'docs', 'QUALITY.md'), report(stored));
  }
}
if (process.argv.includes('--report-only')) writeFileSync(join(root, 'docs', 'QUALITY.md'), report(stored));
// the line bench/run.ts keeps: each row's ours / PyTorch ratio of its headline metric
console.log(JSON.stringify({ report: 'docs/QUALITY.md', ...Object.fromEntries(stored.map((r) => [`${r.id} ours/pytorch`, Number(r.ratio.toFixed(3))])) }));
