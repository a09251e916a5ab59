// .onnx models as the two predictor kinds the tasks run: an Upscaler (superres: upscale, batch,
// compare) and a Stylizer (cyclegan: stylize, batch, compare). A model is an .onnx file given by
// path, or an imported model folder holding `model.onnx` (one graph) or `a2b/model.onnx` and
// `b2a/model.onnx` (a CycleGAN exported with `models export --format onnx`).
import * as tf from '@tensorflow/tfjs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../contract/errors.js';
import { ONNX_MODEL_FILE } from '../contract/models.js';
import type { CycleGanModel, Direction } from '../models/cyclegan/model.js';
import { openOnnxImageModel, type OnnxImageModel, type Range, type StoredRanges } from './onnx-model.js';
import type { Stylizer, Upscaler } from './predictors.js';
import { defaultBytesPerInputPixel } from './tiling.js';


export type { StoredRanges };

const isFile = (path: string) => stat(path).then((s) => s.isFile(), () => false);

export function isOnnxPath(path: string): boolean {
  return path.toLowerCase().endsWith('.onnx');
}

/** The .onnx graph(s) of an imported model folder: one, or one per CycleGAN direction; null when none. */
export async function onnxFilesIn(dir: string, directions?: { a2b: string; b2a: string }): Promise<Partial<Record<Direction, string>> | null> {
  if (await isFile(join(dir, ONNX_MODEL_FILE))) return { a2b: join(dir, ONNX_MODEL_FILE) };
  const d = directions ?? { a2b: 'a2b', b2a: 'b2a' };
  const a2b = join(dir, d.a2b, ONNX_MODEL_FILE);
  const b2a = join(dir, d.b2a, ONNX_MODEL_FILE);
  const found = { ...((await isFile(a2b)) ? { a2b } : {}), ...((await isFile(b2a)) ? { b2a } : {}) };
  return Object.keys(found).length ? found : null;
}

function toRange(t: tf.Tensor, from: Range, to: Range): tf.Tensor {
  return tf.tidy(() => t.sub(from[0]).mul((to[1] - to[0]) / (from[1] - from[0])).add(to[0]));
}

function fixedEdge(m: OnnxImageModel): number | undefined {
  return m.fixedSize ? Math.min(...m.fixedSize) : undefined;
}

/** An .onnx super-resolution model; `expectedScale` (from an import's sidecar) must match the probe. */
export async function onnxUpscaler(file: string, stored: StoredRanges = {}, expectedScale?: number): Promise<Upscaler> {
  const m = await openOnnxImageModel(file, stored);
  if (m.scale < 2 || (expectedScale && expectedScale !== m.scale)) {
    await m.dispose();
    throw new AppError('INVALID_ARGUMENT', m.scale < 2
      ? `${file} keeps the image size (×1): it is a style-transfer or restoration model — run it with stylize, not upscale`
      : `${file} upscales ×${m.scale}, but the model was imported as ×${expectedScale}; import it again`);
  }
  return {
    id: `onnx:${file}`,
    scale: m.scale,
    inputRange: [...m.inputRange] as [number, number],
    outputRange: [...m.outputRange] as [number, number],
    channels: m.channels,
    bytesPerInputPixel: defaultBytesPerInputPixel(m.scale),
    ...(fixedEdge(m) ? { maxTile: fixedEdge(m) } : {}),
    predict: () => {
      throw new AppError('INTERNAL', `${file} runs on ONNX Runtime, asynchronously: call predictAsync`);
    },
    predictAsync: (x) => m.run(x),
    engine: 'ort',
    dispose: () => void m.dispose(),
  };
}

/** One or two .onnx image-to-image graphs as a Stylizer (images in [-1, 1] both ways, as stylize works). */
export async function onnxStylizer(id: string, files: Partial<Record<Direction, string>>, stored: StoredRanges = {}): Promise<Stylizer> {
  const models: Partial<Record<Direction, OnnxImageModel>> = {};
  try {
    for (const [direction, file] of Object.entries(files) as Array<[Direction, string]>) {
      const m = await openOnnxImageModel(file, stored);
      models[direction] = m;
      if (m.scale !== 1) throw new AppError('INVALID_ARGUMENT', `${file} enlarges images ×${m.scale}: it is a super-resolution model — run it with upscale, not stylize`);
    }
  } catch (error) {
    await Promise.all(Object.values(models).map((m) => m.dispose()));
    throw error;
  }
  return onnxStylizerFrom(id, models);
}

function onnxStylizerFrom(id: string, models: Partial<Record<Direction, OnnxImageModel>>): Stylizer {
  const first = Object.values(models)[0]!;
  const translateAsync = async (images: tf.Tensor4D, direction: Direction): Promise<tf.Tensor4D> => {
    const m = models[direction];
    if (!m) throw new AppError('INVALID_ARGUMENT', `${id} is one ONNX graph (direction a2b); it has no ${direction} direction`);
    const x = toRange(images, [-1, 1], m.inputRange) as tf.Tensor4D;
    const y = await m.run(x).finally(() => x.dispose());
    const out = toRange(y, m.outputRange, [-1, 1]) as tf.Tensor4D;
    y.dispose();
    return out;
  };
  const model = {
    translateAnySize: () => {
      throw new AppError('INTERNAL', `${id} runs on ONNX Runtime, asynchronously: call translateAsync`);
    },
    dispose: () => void Promise.all(Object.values(models).map((m) => m.dispose())),
  } as unknown as CycleGanModel; // stylize disposes it; translation goes through translateAsync
  const edges = Object.values(models).map(fixedEdge).filter((e): e is number => e !== undefined);
  return {
    runDir: id, model, channels: first.channels, bytesPerPixel: 64 * 4 * 6, checkpoint: 'onnx', translateAsync, engine: 'ort',
    ...(edges.length ? { maxTile: Math.min(...edges) } : {}),
  };
}

/** Converts our tfjs network in memory for ONNX Runtime; null (tfjs keeps it) when a layer does not convert. */
async function convertForOrt(net: tf.LayersModel, range: { inputRange: Range; outputRange: Range }, label: string, weights?: tf.Tensor[]): Promise<OnnxImageModel | null> {
  const { layersModelToOnnx, OnnxExportError } = await import('../models/onnx/export-onnx.js');
  // the weights inference uses (a run's EMA average) go into the graph; the network keeps its own
  const own = weights ? net.getWeights().map((w) => w.clone()) : null;
  let bytes: Uint8Array;
  try {
    if (weights) net.setWeights(weights);
    bytes = layersModelToOnnx(net, { input: { kind: 'image', range: range.inputRange }, outputRange: range.outputRange, graphName: net.name });
  } catch (error) {
    if (error instanceof OnnxExportError) return null;
    throw error;
  } finally {
    if (own) {
      net.setWeights(own);
      tf.dispose(own);
    }
  }
  return openOnnxImageModel({ bytes, label });
}

/**
 * `base` (a run's or a pretrained ESRGAN's tfjs Upscaler) on ONNX Runtime when the engine choice
 * says so (src/engine/inference-engine.ts); otherwise, or when the network does not convert, `base`.
 */
export async function routedUpscaler(base: Upscaler, net: tf.LayersModel): Promise<Upscaler> {
  const { chooseInferenceEngine } = await import('../engine/inference-engine.js');
  if (chooseInferenceEngine(tf.getBackend()).engine !== 'ort') return base;
  const m = await convertForOrt(net, base, base.id);
  if (!m) return base;
  return {
    ...base, inputRange: [0, 1], outputRange: [0, 1], engine: 'ort',
    predictAsync: (x) => m.run(x),
    dispose: () => {
      base.dispose();
      void m.dispose();
    },
  };
}

/** A CycleGAN run's two generators on ONNX Runtime when the engine choice says so; otherwise `base`. */
export async function routedStylizer(base: Stylizer, nets: Record<Direction, tf.LayersModel>, weights: Partial<Record<Direction, tf.Tensor[]>> = {}): Promise<Stylizer> {
  const { chooseInferenceEngine } = await import('../engine/inference-engine.js');
  if (chooseInferenceEngine(tf.getBackend()).engine !== 'ort') return base;
  const converted: Partial<Record<Direction, OnnxImageModel>> = {};
  for (const direction of ['a2b', 'b2a'] as const) {
    const m = await convertForOrt(nets[direction], { inputRange: [-1, 1], outputRange: [-1, 1] }, `${base.runDir} ${direction}`, weights[direction]);
    if (!m) {
      await Promise.all(Object.values(converted).map((c) => c.dispose()));
      return base;
    }
    converted[direction] = m;
  }
  const ort = onnxStylizerFrom(base.runDir, converted);
  return {
    ...base, engine: 'ort', translateAsync: ort.translateAsync,
    // translation goes through translateAsync; the model is only disposed (the tfjs networks and the sessions)
    model: { dispose: () => { base.model.dispose(); ort.model.dispose(); } } as unknown as CycleGanModel,
  };
}
