// Imported TF.js models (`gan-studio models import`, e.g. a folder `models export` wrote) behind
// the same small interfaces the inference code uses for trained runs: an Upscaler (superres), a
// generator with `generate(z)` (generate) and a Stylizer (cyclegan). The inference loaders ask
// `isImportedModelFolder` first, so `upscale`, `stylize`, `generate` and `batch` take an imported
// model folder wherever they take a run folder.
import * as tf from '@tensorflow/tfjs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseJsonText } from '../common/json-file.js';
import { AppError } from '../contract/errors.js';
import { ModelSidecar } from '../contract/models.js';
import type { Generator } from '../models/common/generator-model.js';
import type { CycleGanModel, Direction } from '../models/cyclegan/model.js';
import '../models/index.js'; // registers our families' custom layers (pixel shuffle, instance norm, reflection pad)
import { registerEsrganCustomLayers } from '../models/pretrained/custom-layers.js';
import { loadLayersModelFromDir } from '../models/pretrained/layers-loader.js';
import type { Stylizer, Upscaler } from './predictors.js';
import { onnxFilesIn, onnxStylizer, onnxUpscaler, type StoredRanges } from './onnx-predictors.js';
import { safetensorsUpscaler } from './community-upscaler.js';

/** Sidecar names: the copy `models import` keeps, then the one `models export` writes. */
const SIDECARS = ['sidecar.json', 'gan-studio.json'];

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

/** True for a folder holding a TF.js model with our sidecar (and no checkpoints: not a run). */
export async function isImportedModelFolder(dir: string): Promise<boolean> {
  if (await stat(join(dir, 'checkpoints')).then(() => true, () => false)) return false;
  for (const name of SIDECARS) if (await isFile(join(dir, name))) return true;
  return false;
}

export async function readImportedSidecar(dir: string): Promise<ModelSidecar> {
  for (const name of SIDECARS) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => null);
    if (text === null) continue;
    const raw = parseJsonText<Record<string, unknown>>(text, join(dir, name), { what: 'model sidecar', fix: 'import the model again', code: 'MODEL_INVALID' });
    const { importedAt: _importedAt, ...rest } = raw;
    const parsed = ModelSidecar.safeParse(rest);
    if (!parsed.success) throw new AppError('MODEL_INVALID', `${join(dir, name)} is not a valid sidecar: ${parsed.error.issues[0]?.message}; import the model again`);
    return parsed.data;
  }
  throw new AppError('MODEL_INVALID', `${dir} has no sidecar (gan-studio.json); import the model with \`gan-studio models import\``);
}

async function loadNet(dir: string): Promise<tf.LayersModel> {
  registerEsrganCustomLayers();
  return loadLayersModelFromDir(dir);
}

/** The value ranges an import stored (an ONNX graph's own metadata_props come first). */
function ranges(side: ModelSidecar): StoredRanges {
  return { inputRange: side.inputRange, ...(side.outputRange ? { outputRange: side.outputRange } : {}) };
}

function requireTask(dir: string, side: ModelSidecar, task: ModelSidecar['task'], use: string): void {
  if (side.task !== task) throw new AppError('INVALID_ARGUMENT', `${dir} is an imported ${side.task} model; ${use} needs a ${task} model`);
}

function toRange(t: tf.Tensor, from: readonly [number, number], to: readonly [number, number]): tf.Tensor {
  return t.sub(from[0]).mul((to[1] - to[0]) / (from[1] - from[0])).add(to[0]);
}

export async function importedUpscaler(dir: string): Promise<Upscaler> {
  const side = await readImportedSidecar(dir);
  requireTask(dir, side, 'superres', 'upscaling');
  // one weights file (.safetensors) instead of a TF.js folder: its own network builder
  if (side.format === 'safetensors') return safetensorsUpscaler(join(dir, side.file ?? 'model.safetensors'), `imported:${dir}`);
  const onnx = await onnxFilesIn(dir);
  if (onnx?.a2b) return onnxUpscaler(onnx.a2b, ranges(side), side.scale);
  if (!side.scale) throw new AppError('MODEL_INVALID', `${dir}: the sidecar gives no scale; import it again with --scale`);
  const net = await loadNet(dir);
  const shape = net.inputs[0]?.shape;
  return {
    id: `imported:${dir}`,
    scale: side.scale,
    inputRange: side.inputRange,
    outputRange: side.outputRange ?? side.inputRange,
    channels: (side.channels ?? (shape?.[3] === 1 ? 1 : 3)) as 1 | 3,
    predict: (x) => net.predict(x) as tf.Tensor4D,
    dispose: () => net.dispose(),
  };
}

/** What generateImages / interpolate use of a generator: latent size, generate(z), dispose. */
export async function importedGenerator(dir: string): Promise<{ model: Generator; checkpoint: string; step: number }> {
  const side = await readImportedSidecar(dir);
  requireTask(dir, side, 'generate', 'generation');
  const net = await loadNet(dir);
  const latentSize = side.latentSize ?? Number(net.inputs[0]?.shape[1]);
  if (!Number.isInteger(latentSize) || latentSize < 1) {
    net.dispose();
    throw new AppError('MODEL_INVALID', `${dir}: cannot tell the latent size (no latentSize in the sidecar, no fixed input width)`);
  }
  const outRange = side.outputRange ?? side.inputRange;
  const model: Generator = {
    latentSize,
    // our inference works in [-1, 1]: map the model's output range onto it
    generate: (z: tf.Tensor2D) => tf.tidy(() => toRange(net.predict(z) as tf.Tensor, outRange, [-1, 1]) as tf.Tensor4D),
    dispose: () => net.dispose(),
  };
  return { model, checkpoint: 'imported', step: side.source?.step ?? 0 };
}

/** Both generators of an imported CycleGAN, as the Stylizer the stylize code caches. */
export async function importedStylizer(dir: string): Promise<Stylizer> {
  const side = await readImportedSidecar(dir);
  requireTask(dir, side, 'cyclegan', 'style transfer');
  const folders = side.directions ?? { a2b: 'a2b', b2a: 'b2a' };
  const onnx = await onnxFilesIn(dir, side.directions);
  if (onnx) return onnxStylizer(dir, onnx, ranges(side));
  const a2b = await loadNet(join(dir, folders.a2b));
  let b2a: tf.LayersModel;
  try {
    b2a = await loadNet(join(dir, folders.b2a));
  } catch (error) {
    a2b.dispose();
    throw error;
  }
  const nets: Record<Direction, tf.LayersModel> = { a2b, b2a };
  const inRange = side.inputRange;
  const outRange = side.outputRange ?? side.inputRange;
  // the ResNet generator halves the size twice: pad to a multiple of 4 (reflect), crop back — as the run does
  const translateAnySize = (images: tf.Tensor4D, direction: Direction): tf.Tensor4D => tf.tidy(() => {
    const [n, h, w, c] = images.shape;
    if (h < 8 || w < 8) throw new AppError('INVALID_ARGUMENT', `CycleGAN needs images of at least 8×8 pixels, got ${w}×${h}; enlarge the image first`);
    const padH = (4 - (h % 4)) % 4;
    const padW = (4 - (w % 4)) % 4;
    let x: tf.Tensor4D = toRange(images, [-1, 1], inRange) as tf.Tensor4D;
    if (padH || padW) x = tf.mirrorPad(x, [[0, 0], [0, padH], [0, padW], [0, 0]], 'reflect');
    const y = toRange(nets[direction].predict(x) as tf.Tensor, outRange, [-1, 1]) as tf.Tensor4D;
    return padH || padW ? y.slice([0, 0, 0, 0], [n, h, w, c]) : y;
  });
  const model = {
    translateAnySize,
    translate: (images: tf.Tensor4D, direction: Direction) => translateAnySize(images, direction),
    dispose: () => Object.values(nets).forEach((net) => net.dispose()),
  } as unknown as CycleGanModel; // stylize uses translateAnySize and dispose
  const filters = Number((side.source?.spec.extra as Record<string, unknown> | undefined)?.filters ?? 64);
  return { runDir: dir, model, channels: side.channels ?? 3, bytesPerPixel: filters * 4 * 6, checkpoint: 'imported' };
}
