// npm run demo:cyclegan — trains CycleGAN between the Twitter and the Google emoji sets (3786
// 64-px PNGs each, shipped in npm) with the `small` preset on this machine, for a wall-clock budget,
// then measures it on emoji held out of training: SWD(A→B, B) against SWD(A, B) both ways and
// the cycle-reconstruction PSNR. Writes a grid PNG, scores.json and the training time to
// assets/demo/cyclegan/ (small files, committed and shown in the README).
// Unless --steps is given, the step count is planned from a short timing so the run (and its
// learning-rate decay to zero) ends within --minutes.
//   node dist/scripts/demo-cyclegan.js [--minutes 90] [--steps N] [--preset small] [--size 64]
//        [--batch N] [--held-out 256] [--backend auto|wasm|...] [--run DIR] [--resume] [--out assets/demo/cyclegan]
// The run folder (checkpoints) defaults to dist/demo-runs/cyclegan (ignored by git); --resume
// continues it, so a long demo can be done in several sittings.
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppError } from '../src/contract/errors.js';
import type { TrainSpecInput } from '../src/contract/runs.js';
import type { BackendPref } from '../src/contract/system.js';
import { ensureBackend } from '../src/jobs/engine-backend.js';
import type { Reporter } from '../src/common/reporter.js';
import { makeGrid, writeTensorImage } from '../src/inference/image-io.js';
import { train } from '../src/training/train.js';
import { loadModelForInference } from '../src/training/load-model.js';
import { listCheckpoints } from '../src/training/checkpoint.js';
import { runPaths } from '../src/training/run-files.js';
import { jitterLoadSide, listImageFiles, loadImageSet, unpairedBatchSource } from '../src/data/unpaired.js';
import { evalCycleGanModel, setToTensor } from '../src/cli/eval/cyclegan.js';
import { isCycleGanModel } from '../src/models/cyclegan/model.js';
import { slicedWassersteinDistance } from '../src/metrics/swd.js';
import { TrainSpec } from '../src/contract/runs.js';
import { getFamily } from '../src/models/index.js';
import { stepRandom } from '../src/training/step-random.js';
import { wasmThreads } from '../src/engine/wasm-setup.js';

const require = createRequire(import.meta.url);
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '90' },
    steps: { type: 'string' },
    preset: { type: 'string', default: 'small' },
    size: { type: 'string', default: '64' },
    batch: { type: 'string' },
    'held-out': { type: 'string', default: '256' },
    backend: { type: 'string', default: 'auto' },
    run: { type: 'string' },
    resume: { type: 'boolean', default: false },
    out: { type: 'string', default: join(repoRoot, 'assets', 'demo', 'cyclegan') },
  },
});

function emojiFolder(vendor: 'twitter' | 'google'): string {
  return join(dirname(require.resolve(`emoji-datasource-${vendor}/package.json`)), 'img', vendor, '64');
}

/** Steps that fit in `seconds`, from the median of a few timed steps on random images. */
async function plannedSteps(spec: TrainSpecInput, seconds: number): Promise<number> {
  const family = getFamily('cyclegan');
  const resolved = family.resolve(TrainSpec.parse(spec));
  const model = family.create(resolved, stepRandom(0));
  const a = tf.randomUniform([resolved.batch, resolved.size, resolved.size, 3], -1, 1) as tf.Tensor4D;
  const b = tf.randomUniform([resolved.batch, resolved.size, resolved.size, 3], -1, 1) as tf.Tensor4D;
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const t = performance.now();
    const losses = model.trainStep({ a, b }, i);
    await Promise.all(Object.values(losses).map((l) => l.data()));
    tf.dispose(Object.values(losses));
    if (i >= 2) times.push(performance.now() - t); // the first steps build kernels and optimizer slots
  }
  model.dispose();
  tf.dispose([a, b]);
  const stepSeconds = times.sort((x, y) => x - y)[Math.floor(times.length / 2)]! / 1000;
  // samples, checkpoints and SWD scoring cost a little on top of the steps themselves
  return Math.max(10, Math.floor((seconds / stepSeconds) * 0.95));
}

/** The total steps a run folder was started with (its spec.json), if it has one. */
async function readSavedSteps(runDir: string): Promise<number | undefined> {
  const saved = JSON.parse(await readFile(runPaths(runDir).spec, 'utf8').catch(() => '{}')) as { spec?: { steps?: number } };
  return saved.spec?.steps;
}

async function main(): Promise<void> {
  const size = Number(values.size);
  const heldOut = Number(values['held-out']);
  const outDir = resolve(values.out!);
  const runDir = resolve(values.run ?? join(repoRoot, 'dist', 'demo-runs', 'cyclegan'));
  const backend = await ensureBackend(values.backend as BackendPref);
  console.log(`demo:cyclegan — twitter (A) ↔ google (B) emoji at ${size}px, preset ${values.preset}, backend ${backend}${backend === 'wasm' ? ` (${wasmThreads().threads} thread(s))` : ''}`);

  // the same file names exist in both sets; hold out the same last `heldOut` names of each
  const [filesA, filesB] = await Promise.all([listImageFiles(emojiFolder('twitter')), listImageFiles(emojiFolder('google'))]);
  const split = (files: string[]) => ({ train: files.slice(0, files.length - heldOut), test: files.slice(files.length - heldOut) });
  const a = split(filesA);
  const b = split(filesB);
  console.log(`training on ${a.train.length} + ${b.train.length} emoji, evaluating on ${a.test.length} + ${b.test.length} held out`);
  // the emoji are 64 px: at --size 64 they train uncropped (flips only), as sharp as they are scored
  const [loadA, loadB] = await Promise.all([jitterLoadSide(a.train, size), jitterLoadSide(b.train, size)]);
  const [trainA, trainB, testA, testB] = await Promise.all([
    loadImageSet(a.train, { side: loadA, channels: 3 }),
    loadImageSet(b.train, { side: loadB, channels: 3 }),
    loadImageSet(a.test, { side: size, channels: 3 }),
    loadImageSet(b.test, { side: size, channels: 3 }),
  ]);
  const evalA = setToTensor(testA.set);
  const evalB = setToTensor(testB.set);
  const swdBefore = await slicedWassersteinDistance(evalA, evalB);
  console.log(`SWD(twitter, google) before training: ${swdBefore.toFixed(4)}`);

  const base: TrainSpecInput = {
    task: 'cyclegan', model: 'cyclegan', preset: values.preset as 'small', size, seed: 1,
    ...(values.batch ? { batch: Number(values.batch) } : {}),
  };
  // The learning rate decays to zero at the last step, so the run must end inside the budget:
  // unless --steps is given, time a few steps here and plan for 90% of the budget.
  // A resumed run keeps the step count it was planned with: the learning rate decays to zero at
  // that step, so taking the preset's default here would restart the decay from a higher rate.
  const savedSteps = values.resume ? await readSavedSteps(runDir) : undefined;
  const steps = values.steps ? Number(values.steps) : values.resume ? savedSteps : await plannedSteps(base, Number(values.minutes) * 60 * 0.9);
  const spec: TrainSpecInput = { ...base, ...(steps ? { steps } : {}) };
  if (steps) console.log(`planned ${steps} steps`);
  if (!values.resume) await rm(runDir, { recursive: true, force: true });
  const source = unpairedBatchSource(trainA.set, trainB.set, { size, seed: 1 });
  const controller = new AbortController();
  const budgetMs = Number(values.minutes) * 60_000;
  const timer = setTimeout(() => controller.abort(new AppError('JOB_STATE', 'paused: demo time budget reached')), budgetMs);
  let lastPrint = 0;
  const report: Reporter = {
    progress: (p) => {
      if (Date.now() - lastPrint < 10_000) return;
      lastPrint = Date.now();
      console.log(`  step ${p.done}/${p.total}${p.rate ? `, ${p.rate.toFixed(2)} steps/s` : ''}`);
    },
    metrics: (step, v) => {
      if (step % 100 === 0) console.log(`  step ${step}: G ${v['loss/G']?.toFixed(3)} D ${v['loss/D']?.toFixed(3)} cycle ${v['loss/cycle']?.toFixed(3)} lr ${v.lr?.toExponential(2)}`);
    },
    sample: (step, path) => console.log(`  sample at step ${step}: ${path}`),
    log: (level, message) => console.log(`  ${level}: ${message}`),
  };
  const started = performance.now();
  let result;
  try {
    result = await train({ spec, runDir, source, resume: values.resume, scoreImages: 32 }, { signal: controller.signal, report });
  } finally {
    clearTimeout(timer);
    source.dispose();
  }
  const trainSeconds = (performance.now() - started) / 1000;
  // a demo done in sittings (--resume) reports the training time of all of them
  const sittingsFile = join(runDir, 'demo-sittings.json');
  const earlier = values.resume ? (JSON.parse(await readFile(sittingsFile, 'utf8').catch(() => '[]')) as number[]) : [];
  const sittings = [...earlier, Number((trainSeconds / 60).toFixed(1))];
  await writeFile(sittingsFile, JSON.stringify(sittings));
  console.log(`training ${result.stopped} at step ${result.step} after ${(trainSeconds / 60).toFixed(1)} min`);

  const loaded = await loadModelForInference(runDir);
  if (!isCycleGanModel(loaded.model)) throw new Error('the demo run is not a CycleGAN run');
  const scores = await evalCycleGanModel(loaded.model, evalA, evalB);

  // grid: 8 held-out emoji per direction, rows of real → translated → reconstructed
  const k = Math.min(8, evalA.shape[0]);
  const pick = (t: tf.Tensor4D) => tf.gather(t, tf.tensor1d(Array.from({ length: k }, (_, i) => Math.floor((i * t.shape[0]) / k)), 'int32')) as tf.Tensor4D;
  const realA = pick(evalA);
  const realB = pick(evalB);
  const fakeB = loaded.model.translate(realA, 'a2b');
  const recA = loaded.model.translate(fakeB, 'b2a');
  const fakeA = loaded.model.translate(realB, 'b2a');
  const recB = loaded.model.translate(fakeA, 'a2b');
  const grid = tf.tidy(() => makeGrid(tf.stack([realA, fakeB, recA, realB, fakeA, recB], 1).reshape([k * 6, size, size, 3]).add(1).div(2) as tf.Tensor4D, 6));
  await mkdir(outDir, { recursive: true });
  await writeTensorImage(join(outDir, 'grid.png'), grid, { range: [0, 1] });
  tf.dispose([realA, realB, fakeB, recA, fakeA, recB, grid, evalA, evalB]);
  const sample = runPaths(runDir).sample(result.step);
  await copyFile(sample, join(outDir, 'last-sample.png')).catch(() => undefined);

  const checkpoints = await listCheckpoints(runDir);
  const summary = {
    task: 'twitter emoji (A) ↔ google emoji (B)',
    size,
    preset: loaded.spec.preset,
    steps: result.step,
    plannedSteps: loaded.spec.steps,
    batch: loaded.spec.batch,
    stopped: result.stopped,
    backend,
    ...(backend === 'wasm' ? { wasmThreads: wasmThreads().threads } : {}),
    trainMinutes: Number(sittings.reduce((a, b) => a + b, 0).toFixed(1)),
    sittingsMinutes: sittings,
    heldOutImages: { a: testA.set.images.length, b: testB.set.images.length },
    swd: { ...scores.swd, note: 'sliced Wasserstein distance on Laplacian-pyramid 7×7 patches (Progressive GAN); lower = closer' },
    aToBCloserThanBefore: scores.swd.aToB_after < scores.swd.aToB_before,
    bToACloserThanBefore: scores.swd.bToA_after < scores.swd.bToA_before,
    cyclePsnrDb: scores.cyclePsnr,
    bestCheckpoint: checkpoints.find((c) => c.best)?.name ?? null,
    grid: 'grid.png: rows of twitter → google → twitter, then google → twitter → google',
    createdAt: new Date().toISOString(),
  };
  loaded.model.dispose();
  await writeFile(join(outDir, 'scores.json'), JSON.stringify(summary, null, 2) + '\n');
  console.log(JSON.stringify(summary, null, 2));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : String(error));
  process.exit(1);
});
