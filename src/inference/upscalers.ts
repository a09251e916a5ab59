// What `upscale` runs: a pretrained ESRGAN from npm or the generator of a trained SR run, behind
// one small interface. Batch jobs call upscaleFile once per image, so the last model loaded is
// kept (thick takes seconds to load) until another one is asked for.
import type * as tf from '@tensorflow/tfjs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { AppError } from '../contract/errors.js';
import { loadPretrained, resolvePretrainedId } from '../models/pretrained/catalog.js';
import { checkpointsDir } from '../training/checkpoint.js';
import { loadModelForInference } from '../training/load-model.js';
import { defaultBytesPerInputPixel } from './tiling.js';
import { importedUpscaler, isImportedModelFolder } from './imported-model.js';
import { onnxUpscaler, routedUpscaler } from './onnx-predictors.js';
import type { Upscaler } from './predictors.js';
import { safetensorsUpscaler } from './community-upscaler.js';

/** Anything that maps a low-resolution batch to a high-resolution one. */
export type { Upscaler };

/** True when `model` names a pretrained model (esrgan-slim, esrgan-thick-x4) rather than a run folder. */
export function isPretrainedModel(model: string, scale?: number): boolean {
  try {
    return resolvePretrainedId(model, scale) !== null;
  } catch {
    return true; // a pretrained name with an unsupported scale: still pretrained, the loader says why
  }
}

/** Wraps a loaded pretrained model as an Upscaler. */
export async function pretrainedUpscaler(id: string): Promise<Upscaler> {
  const { manifest, model, predict } = await loadPretrained(id);
  const thick = manifest.architecture.type === 'rrdn';
  // ONNX Runtime where it was measured faster on this machine (src/engine/inference-engine.ts)
  return routedUpscaler({
    id,
    scale: manifest.scale,
    inputRange: manifest.inputRange,
    outputRange: manifest.outputRange,
    channels: 3,
    // rrdn (thick) keeps many 32-channel dense-block maps alive per pixel: a bigger working set
    bytesPerInputPixel: thick ? 4 * 64 * 24 * manifest.scale : defaultBytesPerInputPixel(manifest.scale),
    predict,
    dispose: () => model.dispose(),
  }, model);
}

/** The generator of a trained super-resolution run (latest usable checkpoint, or `checkpoint`). */
export async function runUpscaler(runDir: string, checkpoint?: string): Promise<Upscaler> {
  const loaded = await loadModelForInference(runDir, { checkpoint, networks: ['G'] });
  const { spec, model } = loaded;
  const G = model.networks.G;
  if (loaded.family.task !== 'superres' || !G || !spec.scale) {
    model.dispose();
    throw new AppError('INVALID_ARGUMENT', `${runDir} is a ${loaded.family.task} run (${loaded.family.id}), not a super-resolution one; pass an SR run or esrgan-slim|esrgan-medium|esrgan-thick`);
  }
  return routedUpscaler({
    id: `${runDir}@${loaded.checkpoint}`,
    scale: spec.scale,
    inputRange: [-1, 1],
    outputRange: [-1, 1],
    channels: spec.channels,
    predict: (x) => G.predict(x) as tf.Tensor4D,
    dispose: () => model.dispose(),
  }, G);
}

let cached: { key: string; upscaler: Upscaler } | null = null;

/** Model files `--model` may name directly, by extension (an imported copy is not needed). */
export const UPSCALER_FILE_LOADERS: Record<string, (path: string) => Promise<Upscaler>> = {
  '.safetensors': (path) => safetensorsUpscaler(path),
  '.onnx': (path) => onnxUpscaler(path),
};

async function cacheKey(model: string, scale?: number): Promise<{ key: string; pretrained: string | null }> {
  const pretrained = resolvePretrainedId(model, scale);
  if (pretrained) return { key: `pretrained:${pretrained}`, pretrained };
  const dir = resolve(model);
  const info = await stat(dir).catch(() => null);
  if (info?.isFile() && extname(dir).toLowerCase() in UPSCALER_FILE_LOADERS) return { key: `file:${dir}:${info.mtimeMs}:${info.size}`, pretrained: null };
  if (!info?.isDirectory()) {
    throw new AppError('NOT_FOUND', `--model ${model}: no such run folder or model file (.safetensors, .onnx), and not a pretrained model (esrgan-slim, esrgan-medium, esrgan-thick)`);
  }
  // A run still training gets new checkpoints: the key changes with its `latest` pointer.
  const latest = await stat(join(checkpointsDir(dir), 'latest')).catch(() => null);
  return { key: `run:${dir}:${latest?.mtimeMs ?? 0}`, pretrained: null };
}

/** Loads (or reuses) the upscaler for `model` at `scale`. Do not dispose it: releaseUpscalers() does. */
export async function loadUpscaler(model: string, scale?: number): Promise<Upscaler> {
  const { key, pretrained } = await cacheKey(model, scale);
  if (cached?.key === key) return cached.upscaler;
  releaseUpscalers();
  // a model file (.safetensors); a folder is a run (checkpoints) or an imported model (models import / models export)
  const fileLoader = key.startsWith('file:') ? UPSCALER_FILE_LOADERS[extname(model).toLowerCase()] : undefined;
  const upscaler = pretrained ? await pretrainedUpscaler(pretrained)
    : fileLoader ? await fileLoader(resolve(model))
      : (await isImportedModelFolder(resolve(model))) ? await importedUpscaler(resolve(model)) : await runUpscaler(resolve(model));
  cached = { key, upscaler };
  return upscaler;
}

/** Frees the cached model (end of a batch, or before loading another). */
export function releaseUpscalers(): void {
  cached?.upscaler.dispose();
  cached = null;
}
