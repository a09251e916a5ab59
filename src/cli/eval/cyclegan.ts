// `gan-studio eval --task cyclegan`: does translation move set A towards set B? Reports the
// sliced Wasserstein distance (Progressive GAN's Laplacian-patch SWD) of translated images to the
// target set next to the distance the untranslated sets start from, in both directions, and the
// cycle-reconstruction PSNR (A → B → A), which says how much content the translation keeps.
import * as tf from '@tensorflow/tfjs';
import { stat } from 'node:fs/promises';
import { EXIT, UsageError, intOpt, stringOpt, type CommandContext } from '../command.js';
import { AppError } from '../../contract/errors.js';
import type { TaskContext } from '../../common/reporter.js';
import { loadModelForInference } from '../../training/load-model.js';
import { isCycleGanModel, type CycleGanModel, type Direction } from '../../models/cyclegan/model.js';
import { listImageFiles, loadImageSet, type ImageSet } from '../../data/unpaired.js';
import { slicedWassersteinDistance } from '../../metrics/swd.js';
import { openWorkspace } from '../../workspace/workspace.js';
import { loadDatasetImages } from '../../data/dataset-source.js';
import { RUN_REF_HELP, resolveRunDir } from '../commands/run-ref.js';

export interface CycleGanEvalReport {
  run: string;
  checkpoint: string;
  step: number;
  size: number;
  images: { a: number; b: number };
  swd: {
    /** SWD(A, B): where translation starts */
    aToB_before: number;
    /** SWD(G_AB(A), B): lower than aToB_before means A moved towards B */
    aToB_after: number;
    bToA_before: number;
    bToA_after: number;
  };
  /** mean PSNR (dB, 8-bit RGB) of A → B → A against A, and of B → A → B against B */
  cyclePsnr: { a: number; b: number };
}

/** 8-bit sets → NHWC float tensor in [-1, 1]. */
export function setToTensor(set: ImageSet): tf.Tensor4D {
  const { side, channels, images } = set;
  const data = new Float32Array(images.length * side * side * channels);
  images.forEach((img, i) => {
    const offset = i * side * side * channels;
    for (let k = 0; k < img.length; k++) data[offset + k] = img[k]! / 127.5 - 1;
  });
  return tf.tensor4d(data, [images.length, side, side, channels]);
}

function translateAll(model: CycleGanModel, images: tf.Tensor4D, direction: Direction, batch = 16): tf.Tensor4D {
  const parts: tf.Tensor4D[] = [];
  for (let i = 0; i < images.shape[0]; i += batch) {
    const slice = images.slice(i, Math.min(batch, images.shape[0] - i));
    parts.push(model.translate(slice, direction));
    slice.dispose();
  }
  const all = tf.concat(parts);
  tf.dispose(parts);
  return all;
}

/** Mean per-image PSNR after quantising both to 8 bits, as saved images would be. */
export function meanPsnr(x: tf.Tensor4D, y: tf.Tensor4D): number {
  const mse = tf.tidy(() => {
    const q = (t: tf.Tensor4D) => t.add(1).mul(127.5).round().clipByValue(0, 255);
    return tf.squaredDifference(q(x), q(y)).mean([1, 2, 3]);
  });
  const values = Array.from(mse.dataSync());
  mse.dispose();
  const psnrs = values.map((m) => (m === 0 ? 100 : 10 * Math.log10((255 * 255) / m)));
  return psnrs.reduce((s, v) => s + v, 0) / psnrs.length;
}

/** Distances and reconstruction quality of a trained model on two held-out sets (NHWC, [-1, 1]). */
export async function evalCycleGanModel(model: CycleGanModel, a: tf.Tensor4D, b: tf.Tensor4D, signal?: AbortSignal): Promise<Pick<CycleGanEvalReport, 'swd' | 'cyclePsnr'>> {
  const fakeB = translateAll(model, a, 'a2b');
  const fakeA = translateAll(model, b, 'b2a');
  try {
    signal?.throwIfAborted();
    const recA = translateAll(model, fakeB, 'b2a');
    const recB = translateAll(model, fakeA, 'a2b');
    const cyclePsnr = { a: meanPsnr(a, recA), b: meanPsnr(b, recB) };
    tf.dispose([recA, recB]);
    const before = await slicedWassersteinDistance(a, b);
    signal?.throwIfAborted();
    const swd = {
      aToB_before: before,
      aToB_after: await slicedWassersteinDistance(fakeB, b),
      bToA_before: before, // SWD is symmetric: the same starting distance both ways
      bToA_after: await slicedWassersteinDistance(fakeA, a),
    };
    return { swd, cyclePsnr };
  } finally {
    tf.dispose([fakeA, fakeB]);
  }
}

/** A folder, or a workspace dataset id. */
async function imagePaths(arg: string, workspace: string | undefined): Promise<string[]> {
  if (await stat(arg).then((s) => s.isDirectory(), () => false)) return listImageFiles(arg);
  const ws = openWorkspace(workspace);
  try {
    return await loadDatasetImages(ws, arg, { split: 'validation' });
  } finally {
    ws.close();
  }
}

export async function evalCycleGan(
  opts: { run: string; dataA: string; dataB: string; limit?: number; checkpoint?: string; workspace?: string },
  task: TaskContext,
): Promise<CycleGanEvalReport> {
  const loaded = await loadModelForInference(opts.run, { checkpoint: opts.checkpoint, networks: ['G_AB', 'G_BA'] });
  const model = loaded.model;
  try {
    if (!isCycleGanModel(model)) throw new AppError('INVALID_ARGUMENT', `${opts.run} is a ${loaded.family.id} run; eval --task cyclegan needs a CycleGAN run`);
    const side = loaded.spec.size;
    const limit = opts.limit ?? 256;
    const load = async (arg: string, flag: string) => {
      const paths = await imagePaths(arg, opts.workspace);
      if (paths.length < 2) throw new AppError('INVALID_ARGUMENT', `--${flag} ${arg}: needs at least 2 images, found ${paths.length}`);
      task.report.log('info', `loading ${Math.min(limit, paths.length)} image(s) from ${arg}`);
      return (await loadImageSet(paths, { side, channels: loaded.spec.channels, limit, signal: task.signal })).set;
    };
    const a = setToTensor(await load(opts.dataA, 'data-a'));
    const b = setToTensor(await load(opts.dataB, 'data-b'));
    try {
      const scores = await evalCycleGanModel(model, a, b, task.signal);
      return { run: opts.run, checkpoint: loaded.checkpoint, step: loaded.step, size: side, images: { a: a.shape[0], b: b.shape[0] }, ...scores };
    } finally {
      tf.dispose([a, b]);
    }
  } finally {
    model.dispose();
  }
}

export async function runEval(ctx: CommandContext, task: TaskContext): Promise<number> {
  const runArg = stringOpt(ctx.values, 'model');
  const dataA = stringOpt(ctx.values, 'data-a');
  const dataB = stringOpt(ctx.values, 'data-b');
  if (!runArg) throw new UsageError(`--model RUN (a CycleGAN run: ${RUN_REF_HELP}) is required`);
  if (!dataA || !dataB) throw new UsageError('--data-a DIR and --data-b DIR (held-out images of each set) are required');
  const run = await resolveRunDir(runArg, ctx.workspace);
  const report = await evalCycleGan({ run, dataA, dataB, limit: intOpt(ctx.values, 'limit'), workspace: ctx.workspace }, task);
  if (ctx.json) {
    ctx.io.out(JSON.stringify(report));
    return EXIT.ok;
  }
  const f = (n: number) => n.toFixed(4);
  ctx.io.out(`CycleGAN ${report.run} (${report.checkpoint}, step ${report.step}), ${report.size}px, ${report.images.a} A / ${report.images.b} B images`);
  ctx.io.out(`SWD (lower = closer; Laplacian-pyramid 7×7 patches):`);
  ctx.io.out(`  A→B vs B: ${f(report.swd.aToB_after)}   (A vs B before translation: ${f(report.swd.aToB_before)})`);
  ctx.io.out(`  B→A vs A: ${f(report.swd.bToA_after)}   (B vs A before translation: ${f(report.swd.bToA_before)})`);
  ctx.io.out(`cycle reconstruction PSNR: A→B→A ${report.cyclePsnr.a.toFixed(2)} dB, B→A→B ${report.cyclePsnr.b.toFixed(2)} dB`);
  return EXIT.ok;
}
