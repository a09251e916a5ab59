// The family-agnostic training loop: `train(spec, { signal, report })`. Any registered family
// trains here; the loop owns sampling, metrics, checkpoints, best-by-SWD, pause/cancel, resume.
import * as tf from '@tensorflow/tfjs';
import { mkdir, readdir } from 'node:fs/promises';
import { AppError } from '../contract/errors.js';
import { TrainSpec, type TrainSpecInput } from '../contract/runs.js';
import type { BatchSource } from '../data/types.js';
import type { TaskContext } from '../common/reporter.js';
import { getFamily } from '../models/index.js';
import type { GanModel, ResolvedSpec, TrainBatch } from '../models/types.js';
import { writeTensorImage } from '../inference/image-io.js';
import { formatQuality } from '../metrics/quality-format.js';
import { checkpointsDir, loadLatestCheckpoint, restoreCheckpoint, saveCheckpoint } from './checkpoint.js';
import { GENERATION_SCORE_IMAGES, OTHER_SCORE_IMAGES, scoreCheckpoint } from './checkpoint-score.js';
import { configDifferences, configHash } from './config-hash.js';
import { withLegacyDefaults } from './legacy-spec.js';
import { appendLog, appendMetrics, readRunSpec, runPaths, truncateMetrics, writeRunSpec } from './run-files.js';
import { writeFailure } from './fs-sync.js';
import { stepRandom } from './step-random.js';
import { chooseTrainStep } from '../engine/webgpu-compiled/index.js';

export interface TrainOptions {
  spec: TrainSpecInput;
  runDir: string;
  source: BatchSource;
  resume?: boolean;
  /** read losses back every this many steps (default min(10, sampleEvery)): no per-step sync */
  metricsEvery?: number;
  /** held-out images scored at each checkpoint (default: checkpoint-score.ts; 0 turns scoring off) */
  scoreImages?: number;
}

export interface TrainResult {
  step: number;
  runDir: string;
  stopped: 'done' | 'paused' | 'cancelled';
}

/** Validates a spec and fills the family's preset: what a run will really use. */
export function resolveTrainSpec(input: TrainSpecInput): ResolvedSpec {
  const parsed = TrainSpec.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError('INVALID_ARGUMENT', `training spec: ${issue.path.join('.') || 'spec'}: ${issue.message}`);
  }
  return getFamily(parsed.data.model).resolve(parsed.data);
}

/**
 * The spec a run trains with: for a resume, the run's own spec.json fills what the input lacks
 * and the run predates (legacy-spec.ts). Callers that build the data source first use this so
 * the source and the loop agree (e.g. a pre-`flip` run keeps its flips).
 */
export async function specForRun(input: TrainSpecInput, runDir: string, resume: boolean): Promise<TrainSpecInput> {
  return resume ? withLegacyDefaults(input, (await readRunSpec(runDir))?.spec) : input;
}

export async function train(opts: TrainOptions, ctx: TaskContext): Promise<TrainResult> {
  const { runDir, source } = opts;
  resolveTrainSpec(opts.spec); // a bad spec fails before anything touches the run folder

  const log = (level: 'info' | 'warn' | 'error', message: string) => {
    ctx.report.log(level, message);
    void appendLog(runDir, level, message);
  };
  try {
    await mkdir(runPaths(runDir).samples, { recursive: true });
  } catch (error) {
    throw writeFailure(error, `the run folder ${runDir}`);
  }

  const loaded = opts.resume ? await loadLatestCheckpoint(runDir, (m) => log('warn', m), { quarantine: true }) : null;
  const saved = await readRunSpec(runDir);
  if (!opts.resume && (saved || (await hasCheckpoints(runDir)))) {
    throw new AppError('ALREADY_EXISTS', `${runDir} already holds a run; resume it (--resume) or choose another output folder`);
  }
  const savedSpec = loaded?.state.spec ?? saved?.spec;
  const savedHash = loaded?.state.configHash ?? saved?.configHash;
  // a run saved before a setting existed resumes with what it did then (legacy-spec.ts)
  const spec = resolveTrainSpec(opts.resume ? withLegacyDefaults(opts.spec, savedSpec) : opts.spec);
  const family = getFamily(spec.model);
  const hash = configHash(spec);
  const missing = family.batchKeys.filter((k) => !source.keys.includes(k));
  if (missing.length) throw new AppError('INVALID_ARGUMENT', `model "${family.id}" needs batches with ${family.batchKeys.join(', ')}; the data source gives ${source.keys.join(', ')}`);
  if (savedSpec && savedHash !== hash) {
    const diffs = configDifferences(savedSpec, spec);
    throw new AppError('CONFIG_MISMATCH', `cannot resume ${runDir} with a different configuration: ${diffs.join('; ') || 'config hash differs'}. Resume with the run's own settings or start a new run`);
  }
  await writeRunSpec(runDir, { format: 1, family: family.id, configHash: hash, spec, createdAt: saved?.createdAt ?? Date.now(), backend: tf.getBackend() });

  const model = family.create(spec, stepRandom(spec.seed));
  let step = 0;
  if (loaded) {
    await restoreCheckpoint(model, loaded, { optimizers: true });
    source.setCursor(loaded.state.cursor);
    step = loaded.state.step;
    await truncateMetrics(runDir, step);
    log('info', `resumed from ${loaded.name} (step ${step})`);
  } else {
    // a run that crashed before its first checkpoint restarts from scratch: drop its old curve
    if (opts.resume) await truncateMetrics(runDir, 0);
    log('info', `started ${family.id} ${spec.size}px×${spec.channels} batch ${spec.batch}, ${spec.steps} steps, preset ${spec.preset}, backend ${tf.getBackend()}`);
  }

  // on webgpu the step may run compiled (one command buffer); the tfjs model stays the source of
  // truth: weights go back to it before every sample, score and checkpoint
  const stepPath = await chooseTrainStep(model, stepRandom(spec.seed));
  const compiled = stepPath.step;
  log(stepPath.warn ? 'warn' : 'info', `training step: ${stepPath.reason}`);

  const fixed: TrainBatch | null = family.task === 'generate' ? null : source.heldOut(Number(spec.extra.previewCount ?? 8));
  const scoreImages = opts.scoreImages ?? (family.task === 'generate' ? GENERATION_SCORE_IMAGES : OTHER_SCORE_IMAGES);
  const scoreReal = model.sampleForMetrics && scoreImages > 0 ? source.heldOut(scoreImages) : null;
  const metricsEvery = Math.max(1, opts.metricsEvery ?? Math.min(10, spec.sampleEvery));
  let lastSaved = loaded ? step : -1;
  let windowStart = performance.now();
  let windowSteps = 0;
  let pending: Array<Record<string, tf.Scalar>> = [];
  const startedAt = performance.now();
  const startStep = step;

  const checkpoint = async (withScore: boolean) => {
    compiled?.syncToModel();
    const scored = withScore && scoreReal ? await scoreCheckpoint(model, scoreReal, fixed, log) : null;
    const name = await saveCheckpoint(runDir, model, { step, configHash: hash, cursor: source.getCursor(), score: scored?.score ?? null, scores: scored?.scores, keep: spec.keepCheckpoints });
    lastSaved = step;
    if (scored) {
      // beside the loss curve: one point of quality/* values at the checkpoint's step
      await appendMetrics(runDir, { step, time: Date.now(), values: scored.scores });
      ctx.report.metrics(step, scored.scores);
    }
    log('info', `saved checkpoint ${name}${scored ? ` (${formatQuality(scored.scores)})` : ''}`);
  };

  // the one GPU→CPU sync of a window of steps: average the scalars of every step in it
  const flushMetrics = async () => {
    const values = await readScalars(pending);
    pending = [];
    const elapsed = performance.now() - windowStart;
    values.step_ms = elapsed / windowSteps;
    values.images_per_s = (windowSteps * spec.batch) / (elapsed / 1000);
    const bad = Object.entries(values).filter(([, v]) => !Number.isFinite(v));
    if (bad.length) log('warn', `non-finite ${bad.map(([k]) => k).join(', ')} at step ${step}: training diverged; try a lower learning rate`);
    await appendMetrics(runDir, { step, time: Date.now(), values });
    ctx.report.metrics(step, values);
    windowStart = performance.now();
    windowSteps = 0;
  };

  try {
    while (step < spec.steps) {
      if (ctx.signal.aborted) {
        const reason = ctx.signal.reason;
        const paused = reason instanceof AppError && reason.code === 'JOB_STATE';
        if (pending.length) await flushMetrics();
        if (step !== lastSaved) await checkpoint(false);
        log('info', `${paused ? 'paused' : 'cancelled'} at step ${step}`);
        return { step, runDir, stopped: paused ? 'paused' : 'cancelled' };
      }
      const batch = source.next(spec.batch);
      let scalars: Record<string, tf.Scalar>;
      try {
        scalars = compiled ? compiled.trainStep(batch, step) : model.trainStep(batch, step);
      } finally {
        tf.dispose(Object.values(batch));
      }
      pending.push(scalars);
      step++;
      windowSteps++;

      if (step % metricsEvery === 0 || step === spec.steps) await flushMetrics();
      const rate = (step - startStep) / ((performance.now() - startedAt) / 1000);
      ctx.report.progress({ done: step, total: spec.steps, unit: 'step', rate, eta: rate > 0 ? (spec.steps - step) / rate : null });

      if (step % spec.sampleEvery === 0 || step === spec.steps) compiled?.syncToModel();
      if (step % spec.sampleEvery === 0 || step === spec.steps) await writeSample(runDir, model, fixed, step, ctx);
      if (step % spec.checkpointEvery === 0 || step === spec.steps) await checkpoint(true);
      // lets timers, IPC and the abort signal through between steps (tfjs cpu/wasm are synchronous)
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    log('info', `finished ${step} steps`);
    return { step, runDir, stopped: 'done' };
  } finally {
    for (const s of pending) tf.dispose(Object.values(s));
    if (fixed) tf.dispose(Object.values(fixed));
    if (scoreReal) tf.dispose(Object.values(scoreReal));
    compiled?.dispose();
    model.dispose();
  }
}

async function hasCheckpoints(runDir: string): Promise<boolean> {
  try {
    return (await readdir(checkpointsDir(runDir))).some((n) => n.startsWith('step-'));
  } catch {
    return false;
  }
}

async function readScalars(pending: Array<Record<string, tf.Scalar>>): Promise<Record<string, number>> {
  const sums: Record<string, number> = {};
  for (const scalars of pending) {
    for (const [name, t] of Object.entries(scalars)) {
      sums[name] = (sums[name] ?? 0) + (await t.data())[0]!;
      t.dispose();
    }
  }
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / pending.length]));
}

async function writeSample(runDir: string, model: GanModel, fixed: TrainBatch | null, step: number, ctx: TaskContext): Promise<void> {
  const grid = model.sampleGrid(fixed);
  const path = runPaths(runDir).sample(step);
  try {
    await writeTensorImage(path, grid, { range: [0, 1] });
  } catch (error) {
    throw writeFailure(error, `sample grid ${path}`);
  } finally {
    grid.dispose();
  }
  ctx.report.sample(step, path);
}
