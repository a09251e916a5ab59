// Export of a trained run as plain TF.js layers-model folders (model.json + weight shard), the
// format `tf.loadLayersModel` and `gan-studio models import` read. Only the inference networks go
// out — generator (generate), SR generator (superres), both generators as a2b/ and b2a/
// (cyclegan) — with the EMA weights when the run keeps them, since those are what the run's own
// inference uses. A gan-studio.json beside them says how to feed them (ranges, latent size,
// scale, directions) and where they came from (run, checkpoint, step, spec).
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../contract/errors.js';
import type { Task } from '../../contract/common.js';
import { ONNX_MODEL_FILE, type ModelSidecar } from '../../contract/models.js';
import { isGeneratorModel } from '../../models/common/generator-model.js';
import { loadModelForInference } from '../../training/load-model.js';
import { taskDefinition } from '../../tasks/index.js';

export const EXPORT_SIDECAR = 'gan-studio.json';
export const WEIGHTS_FILE = 'group1-shard1of1.bin';

export interface ExportResult {
  path: string;
  task: Task;
  checkpoint: string;
  step: number;
}

/** Writes `net` as model.json + one weight shard into `dir` (created). */
export async function saveLayersModelToDir(net: tf.LayersModel, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await net.save(tf.io.withSaveHandler(async (artifacts) => {
    const weightData = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
    const modelJson = {
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
    };
    await writeFile(join(dir, WEIGHTS_FILE), Buffer.from(weightData));
    await writeFile(join(dir, 'model.json'), JSON.stringify(modelJson));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weightData.byteLength } };
  }));
}

export type ExportFormat = 'tfjs' | 'onnx';

/** Writes `net` as `dir/model.onnx`: NCHW float32 images in [0, 1] (a generator: z in, image out). */
async function writeOnnx(net: tf.LayersModel, dir: string, m: { task: Task; latent: boolean; scale?: number; direction?: string; source: string; range?: { input: [number, number]; output: [number, number] } }): Promise<void> {
  const { layersModelToOnnx, ONNX_META, OnnxExportError } = await import('../../models/onnx/export-onnx.js');
  let bytes: Uint8Array;
  try {
    bytes = layersModelToOnnx(net, {
      input: m.latent ? { kind: 'latent' } : { kind: 'image', range: m.range?.input ?? [-1, 1] },
      outputRange: m.range?.output ?? [-1, 1],
      graphName: net.name,
      metadata: {
        [ONNX_META.task]: m.task, [ONNX_META.source]: m.source,
        ...(m.scale ? { [ONNX_META.scale]: String(m.scale) } : {}),
        ...(m.direction ? { [ONNX_META.direction]: m.direction } : {}),
        ...(m.latent ? { [ONNX_META.latentSize]: String(net.inputs[0]!.shape[1]) } : {}),
      },
    });
  } catch (error) {
    if (error instanceof OnnxExportError) throw new AppError('MODEL_INVALID', `ONNX export: ${error.message}; export it as TF.js instead (--format tfjs)`);
    throw error;
  }
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, ONNX_MODEL_FILE), bytes);
}

/** A shipped ESRGAN (esrgan-slim-x2…) as `dest/model.onnx` + gan-studio.json, staged and renamed like a run's export. */
export async function exportPretrainedOnnx(id: string, dest: string): Promise<ExportResult> {
  if (existsSync(dest)) throw new AppError('ALREADY_EXISTS', `${dest} already exists; export never overwrites — pick a new folder name`);
  const { loadPretrained } = await import('../../models/pretrained/catalog.js');
  const { manifest, model } = await loadPretrained(id);
  await mkdir(dirname(dest), { recursive: true });
  const staging = await mkdtemp(join(dirname(dest), `.${basename(dest)}.partial-`));
  try {
    await writeOnnx(model, staging, { task: 'superres', latent: false, scale: manifest.scale, source: `${id} (${manifest.source.package})`, range: { input: manifest.inputRange, output: manifest.outputRange } });
    const sidecar: ModelSidecar = { task: 'superres', scale: manifest.scale as ModelSidecar['scale'], inputRange: [0, 1], outputRange: [0, 1], channels: 3, name: manifest.name, licence: manifest.licence };
    await writeFile(join(staging, EXPORT_SIDECAR), JSON.stringify(sidecar, null, 2));
    if (existsSync(dest)) throw new AppError('ALREADY_EXISTS', `${dest} appeared while exporting; export never overwrites — pick a new folder name`);
    await rename(staging, dest);
    return { path: dest, task: 'superres', checkpoint: 'pretrained', step: 0 };
  } finally {
    await rm(staging, { recursive: true, force: true });
    model.dispose();
  }
}

/**
 * Exports `runDir`'s latest usable checkpoint (or `checkpoint`: a step folder name or 'best')
 * into `dest`, which must not exist: everything is written to a hidden sibling first and renamed
 * into place at the end, so a failed export leaves nothing behind and never touches a folder.
 */
export async function exportTrainedRun(
  runDir: string,
  dest: string,
  opts: { checkpoint?: string; runId?: string; name?: string; signal?: AbortSignal; format?: ExportFormat } = {},
): Promise<ExportResult> {
  if (existsSync(dest)) throw new AppError('ALREADY_EXISTS', `${dest} already exists; export never overwrites — pick a new folder name`);
  const loaded = await loadModelForInference(runDir, { checkpoint: opts.checkpoint });
  const { model, family, spec } = loaded;
  const onnx = opts.format === 'onnx';
  let staging: string | null = null;
  try {
    const task = taskDefinition(family.task);
    const plan = task.exportNetworks;
    await mkdir(dirname(dest), { recursive: true });
    staging = await mkdtemp(join(dirname(dest), `.${basename(dest)}.partial-`));
    const extra = model.getExtraState().tensors;
    for (const { network, folder } of plan) {
      if (opts.signal?.aborted) throw new AppError('CANCELLED', 'export cancelled');
      const net = model.networks[network];
      if (!net) throw new AppError('MODEL_INVALID', `${runDir}: the ${family.id} model has no network ${network}; it cannot be exported`);
      // the run's inference swaps the EMA weights in; the export carries them (the model is ours to change: disposed below)
      const ema = net.weights.map((_, i) => extra[`ema/${network}/${i}`]);
      if (ema.length && ema.every((t) => t !== undefined)) net.setWeights(ema as tf.Tensor[]);
      if (onnx) {
        const source = `${opts.runId ?? basename(runDir)}@${loaded.checkpoint}`;
        await writeOnnx(net, join(staging, folder), { task: family.task, latent: isGeneratorModel(model), scale: task.exportSidecar(spec).scale, direction: folder || undefined, source });
      } else {
        await saveLayersModelToDir(net, join(staging, folder));
      }
    }
    // an ONNX graph speaks [0, 1] images (its metadata_props say so too); TF.js keeps the run's [-1, 1]
    const range: [number, number] = onnx ? [0, 1] : [-1, 1];
    const sidecar: ModelSidecar = {
      task: family.task,
      name: `${opts.name ?? basename(runDir)} (step ${loaded.step})`,
      inputRange: range,
      outputRange: range,
      size: spec.size,
      channels: spec.channels,
      ...task.exportSidecar(spec),
      ...(isGeneratorModel(model) ? { latentSize: model.latentSize } : {}),
      source: {
        runId: opts.runId ?? basename(runDir), family: family.id, checkpoint: loaded.checkpoint, step: loaded.step,
        spec: spec as unknown as Record<string, unknown>, exportedAt: Date.now(),
      },
    };
    await writeFile(join(staging, EXPORT_SIDECAR), JSON.stringify(sidecar, null, 2));
    if (existsSync(dest)) throw new AppError('ALREADY_EXISTS', `${dest} appeared while exporting; export never overwrites — pick a new folder name`);
    await rename(staging, dest);
    staging = null;
    return { path: dest, task: family.task, checkpoint: loaded.checkpoint, step: loaded.step };
  } finally {
    if (staging) await rm(staging, { recursive: true, force: true });
    model.dispose();
  }
}
