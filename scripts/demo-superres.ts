// npm run demo:superres — the super-resolution evidence for the README, run by hand:
//  1. builds a photo-like training set and a disjoint held-out set (dead leaves, see
//     demo-superres-data.ts) plus the one real photo that ships in node_modules (the upscaler
//     package's fixture.png), never seen in training;
//  2. trains the `small` esrgan preset (L1 phase only: PSNR-oriented) at ×2 for a wall-clock budget;
//  3. measures PSNR/SSIM (Y, border cropped) of that model vs bicubic on the held-out images;
//  4. runs the pretrained ESRGANs whole and through our tiled path and compares the two;
//  5. writes before-after.png (bicubic | ours | esrgan-slim | HR crops) and results.json.
//   node dist/scripts/demo-superres.js [--minutes 50] [--steps N] [--train-images 300] [--test-images 12]
//        [--backend auto|wasm|cpu|...] [--out assets/demo/superres] [--work DIR] [--pretrained slim,medium,thick]
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppError } from '../src/contract/errors.js';
import type { BackendPref } from '../src/contract/system.js';
import { ensureBackend } from '../src/jobs/engine-backend.js';
import type { Reporter } from '../src/common/reporter.js';
import { train } from '../src/training/train.js';
import { srPairSource } from '../src/data/sr-pairs.js';
import { resizeBicubic, type Pixels } from '../src/data/sr-degrade.js';
import { evalSuperres } from '../src/cli/eval/superres.js';
import { loadUpscaler, releaseUpscalers } from '../src/inference/upscale.js';
import { runTiled } from '../src/inference/tiling.js';
import { psnrY } from '../src/metrics/psnr-ssim.js';
import { getPretrainedManifest, pretrainedFolder } from '../src/models/pretrained/catalog.js';
import { deadLeaves } from './demo-superres-data.js';

interface PretrainedRow { image: string | undefined; psnrWhole: number; psnrTiled: number; maxAbsDiff01: number; wholeMs: number; tiledMs: number }

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '50' },
    steps: { type: 'string' },
    'train-images': { type: 'string', default: '300' },
    'test-images': { type: 'string', default: '12' },
    'train-size': { type: 'string', default: '160' },
    'test-size': { type: 'string', default: '192' },
    backend: { type: 'string', default: 'auto' },
    out: { type: 'string', default: join(repoRoot, 'assets', 'demo', 'superres') },
    work: { type: 'string' },
    pretrained: { type: 'string', default: 'slim,medium,thick' },
    'thick-images': { type: 'string', default: '2' },
  },
});
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const log = (m: string) => console.log(`[demo:superres] ${m}`);

const toPng = (p: Pixels, path: string) =>
  sharp(Buffer.from(Uint8Array.from(p.data, (v) => Math.min(255, Math.max(0, Math.round(v))))), { raw: { width: p.width, height: p.height, channels: p.channels as 3 } }).png().toFile(path);

async function writeSets(work: string) {
  const trainDir = join(work, 'train');
  const testDir = join(work, 'test');
  await mkdir(trainDir, { recursive: true });
  await mkdir(testDir, { recursive: true });
  const trainSize = num(values['train-size'])!;
  const testSize = num(values['test-size'])!;
  const train: Pixels[] = [];
  for (let i = 0; i < num(values['train-images'])!; i++) train.push(deadLeaves(trainSize, trainSize, 1 + i));
  const testFiles: string[] = [];
  for (let i = 0; i < num(values['test-images'])!; i++) {
    const path = join(testDir, `leaves-${String(i).padStart(2, '0')}.png`);
    await toPng(deadLeaves(testSize, testSize, 1_000_000 + i), path); // disjoint seeds: never seen
    testFiles.push(path);
  }
  // the only real photograph available offline
  const fixture = join(pretrainedFolder(getPretrainedManifest('esrgan-slim-x2')), '..', '..', 'assets', 'fixture.png');
  const photo = join(testDir, 'photo-fixture.png');
  await sharp(fixture).flatten({ background: '#ffffff' }).png().toFile(photo).then(() => testFiles.push(photo), () => log('no fixture.png photo found; dead leaves only'));
  return { train, testFiles, trainDir };
}

async function main() {
  const backend = await ensureBackend((values.backend ?? 'auto') as BackendPref);
  const out = resolve(values.out!);
  await mkdir(out, { recursive: true });
  const work = values.work ? resolve(values.work) : await mkdtemp(join(tmpdir(), 'gs-demo-sr-'));
  log(`backend ${backend}; work folder ${work}`);
  const { train: images, testFiles } = await writeSets(work);
  log(`${images.length} training images, ${testFiles.length} held-out images`);

  // 2. train `small` (L1 only) at ×2 for the budget
  const spec = { task: 'superres' as const, model: 'esrgan', preset: 'small' as const, scale: 2 as const, seed: 1, ...(values.steps ? { steps: num(values.steps) } : {}) };
  const source = srPairSource(images, { size: 32, scale: 2, channels: 3, seed: 1, heldOutCount: 4 });
  const runDir = join(work, 'run-small-x2');
  await rm(runDir, { recursive: true, force: true });
  const controller = new AbortController();
  const budgetMs = num(values.minutes)! * 60_000;
  const timer = setTimeout(() => controller.abort(new AppError('JOB_STATE', 'paused: time budget reached')), budgetMs);
  const started = Date.now();
  let lastPsnr = NaN;
  const report: Reporter = {
    progress: (p) => { if (p.done % 50 === 0) log(`step ${p.done}/${p.total}, train PSNR ${lastPsnr.toFixed(2)} dB, ${((Date.now() - started) / 60_000).toFixed(1)} min`); },
    metrics: (_s, v) => { if (v.psnr !== undefined) lastPsnr = v.psnr; },
    sample() {},
    log: (level, m) => { if (level !== 'info') log(`${level}: ${m}`); },
  };
  const result = await train({ spec, runDir, source, scoreImages: 0 }, { signal: controller.signal, report });
  clearTimeout(timer);
  const trainSeconds = (Date.now() - started) / 1000;
  log(`trained ${result.step} steps in ${(trainSeconds / 60).toFixed(1)} min (${result.stopped})`);

  // 3. ours vs bicubic on photos it never saw
  const ctx = { signal: new AbortController().signal, report: { progress() {}, metrics() {}, sample() {}, log() {} } satisfies Reporter };
  const ours = await evalSuperres({ model: runDir, scale: 2, data: testFiles }, ctx);
  log(`small ×2: ${ours.mean.model.psnr.toFixed(2)} dB vs bicubic ${ours.mean.bicubic.psnr.toFixed(2)} dB (${ours.mean.gainDb >= 0 ? '+' : ''}${ours.mean.gainDb.toFixed(2)} dB)`);

  // 4. pretrained: PSNR vs HR whole and tiled, and how far apart the two outputs are
  const pretrained: Record<string, unknown>[] = [];
  for (const name of (values.pretrained ?? '').split(',').filter(Boolean)) {
    const id = `esrgan-${name}`;
    const files = name === 'thick' ? testFiles.slice(0, num(values['thick-images'])) : testFiles;
    const up = await loadUpscaler(id, 2);
    const rows: PretrainedRow[] = [];
    for (const file of files) {
      const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      const w = info.width - (info.width % 2);
      const h = info.height - (info.height % 2);
      const hr = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).extract({ left: 0, top: 0, width: w, height: h }).raw().toBuffer();
      const lr = resizeBicubic({ data: Float32Array.from(hr), width: w, height: h, channels: 3 }, w / 2, h / 2);
      const input = tf.tidy(() => tf.tensor3d(Uint8Array.from(lr.data, (v) => Math.min(255, Math.max(0, Math.round(v)))), [h / 2, w / 2, 3], 'int32').toFloat().div(255 / (up.inputRange[1] - up.inputRange[0])).add(up.inputRange[0]) as tf.Tensor3D);
      const t0 = Date.now();
      const whole = tf.tidy(() => up.predict(input.expandDims(0) as tf.Tensor4D).squeeze([0]) as tf.Tensor3D);
      const wholeMs = Date.now() - t0;
      const t1 = Date.now();
      const tiled = await runTiled(input, up.predict, { scale: 2, tile: 64, overlap: 32 });
      const tiledMs = Date.now() - t1;
      const toUint8 = (t: tf.Tensor3D) => tf.tidy(() => t.sub(up.outputRange[0]).mul(255 / (up.outputRange[1] - up.outputRange[0])).round().clipByValue(0, 255));
      const [wu, tu] = [toUint8(whole), toUint8(tiled)];
      const hrT = tf.tensor3d(Uint8Array.from(hr), [h, w, 3], 'int32').toFloat() as tf.Tensor3D;
      const maxDiff = tf.tidy(() => tf.max(tf.abs(tf.sub(whole, tiled))).dataSync()[0]!) / (up.outputRange[1] - up.outputRange[0]);
      rows.push({ image: file.split('/').pop(), psnrWhole: psnrY(wu as tf.Tensor3D, hrT, { crop: 2 }), psnrTiled: psnrY(tu as tf.Tensor3D, hrT, { crop: 2 }), maxAbsDiff01: maxDiff, wholeMs, tiledMs });
      tf.dispose([input, whole, tiled, wu, tu, hrT]);
    }
    const mean = (k: 'psnrWhole' | 'psnrTiled') => rows.reduce((a, r) => a + r[k], 0) / rows.length;
    pretrained.push({ model: `${id}-x2`, images: rows.length, psnrWhole: mean('psnrWhole'), psnrTiled: mean('psnrTiled'), worstAbsDiff01: Math.max(...rows.map((r) => r.maxAbsDiff01)), rows });
    log(`${id} ×2: whole ${mean('psnrWhole').toFixed(3)} dB, tiled ${mean('psnrTiled').toFixed(3)} dB, worst |Δ| ${Math.max(...rows.map((r) => r.maxAbsDiff01)).toExponential(2)}`);
  }
  releaseUpscalers();

  // 5. before/after crop from the first held-out image: bicubic | ours | esrgan-slim | HR
  const first = testFiles[0]!;
  const { data, info } = await sharp(first).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const hr: Pixels = { data: Float32Array.from(data), width: info.width - (info.width % 2), height: info.height - (info.height % 2), channels: 3 };
  const hrCropped = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }).extract({ left: 0, top: 0, width: hr.width, height: hr.height }).raw().toBuffer();
  hr.data = Float32Array.from(hrCropped);
  const lr = resizeBicubic(hr, hr.width / 2, hr.height / 2);
  const lrRaw = { data: Uint8Array.from(lr.data, (v) => Math.min(255, Math.max(0, Math.round(v)))), width: lr.width, height: lr.height, channels: 3 as const };
  const bicubic = resizeBicubic({ ...lr, data: Float32Array.from(lrRaw.data) }, hr.width, hr.height);
  const { upscaleImage } = await import('../src/inference/upscale.js');
  const oursImg = await upscaleImage(await loadUpscaler(runDir, 2), lrRaw, {}, ctx);
  const slimImg = values.pretrained?.includes('slim') ? await upscaleImage(await loadUpscaler('esrgan-slim', 2), lrRaw, {}, ctx) : null;
  releaseUpscalers();
  const crop = Math.min(64, hr.width, hr.height);
  const panel = async (raw: { data: Uint8Array | Float32Array; width: number; height: number }) =>
    sharp(Buffer.from(Uint8Array.from(raw.data, (v) => Math.min(255, Math.max(0, Math.round(v))))), { raw: { width: raw.width, height: raw.height, channels: 3 } })
      .extract({ left: 0, top: 0, width: crop, height: crop }).resize(crop * 4, crop * 4, { kernel: 'nearest' }).png().toBuffer();
  const panels = [await panel(bicubic), await panel(oursImg), ...(slimImg ? [await panel(slimImg)] : []), await panel(hr)];
  const gap = 4;
  await sharp({ create: { width: panels.length * (crop * 4 + gap) - gap, height: crop * 4, channels: 3, background: '#ffffff' } })
    .composite(panels.map((input, i) => ({ input, left: i * (crop * 4 + gap), top: 0 })))
    .png().toFile(join(out, 'before-after.png'));

  const results = {
    date: new Date().toISOString(),
    backend,
    data: { kind: 'dead-leaves procedural photo-like images + upscaler fixture.png (real photo)', trainImages: images.length, heldOut: testFiles.map((f) => f.split('/').pop()) },
    training: { preset: 'small', scale: 2, steps: result.step, stopped: result.stopped, minutes: trainSeconds / 60 },
    small: { meanPsnr: ours.mean.model.psnr, meanSsim: ours.mean.model.ssim, bicubicPsnr: ours.mean.bicubic.psnr, bicubicSsim: ours.mean.bicubic.ssim, gainDb: ours.mean.gainDb, perImage: ours.images.map((r) => ({ ...r, image: r.image.split('/').pop() })) },
    pretrained,
    beforeAfter: { file: 'before-after.png', panels: ['bicubic', 'esrgan small (ours)', ...(slimImg ? ['esrgan-slim'] : []), 'HR'], crop: `${crop}px, shown ×4 nearest` },
  };
  await writeFile(join(out, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  log(`wrote ${join(out, 'before-after.png')} and results.json`);
  if (!values.work) await rm(work, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
