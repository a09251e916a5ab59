// The pretrained super-resolution models we ship: our own manifests in assets/models/*.json
// describe each one (scale, input range, files with sizes and sha256, licence, npm source), and
// the weights are read from the npm package's folder in node_modules through the validating loader.
import * as tf from '@tensorflow/tfjs';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readJsonFileSync } from '../../common/json-file.js';
import { AppError } from '../../contract/errors.js';
import type { ModelInfo } from '../../contract/models.js';
import { registerEsrganCustomLayers } from './custom-layers.js';
import { loadLayersModelFromDir } from './layers-loader.js';

export const PretrainedManifest = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string(),
  family: z.string(),
  task: z.literal('superres'),
  scale: z.number().int().min(1).max(8),
  inputRange: z.tuple([z.number(), z.number()]),
  outputRange: z.tuple([z.number(), z.number()]),
  tensors: z.object({ input: z.array(z.number().nullable()), output: z.array(z.number().nullable()), layout: z.literal('NHWC'), dtype: z.literal('float32') }),
  customLayers: z.array(z.string()),
  licence: z.string(),
  source: z.object({ package: z.string(), version: z.string(), folder: z.string(), author: z.string().optional(), repository: z.string().optional(), modelFileName: z.string().optional() }),
  architecture: z.record(z.string(), z.union([z.string(), z.number()])),
  files: z.array(z.object({ path: z.string(), bytes: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) })).min(2),
  totalBytes: z.number().int(),
});
export type PretrainedManifest = z.infer<typeof PretrainedManifest>;

/** The short names the CLI accepts for `--model`; combined with `--scale` into an id. */
export const PRETRAINED_NAMES = ['esrgan-slim', 'esrgan-medium', 'esrgan-thick'] as const;

/** Walks up from this module (src/ or dist/src/) to the folder holding package.json. */
export function appRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'assets'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new AppError('INTERNAL', `cannot find the app folder (package.json + assets/) above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

export function manifestsDir(): string {
  return join(appRoot(), 'assets', 'models');
}

let cache: PretrainedManifest[] | null = null;

/** Every manifest in assets/models, sorted by id. A malformed manifest is an app bug: it throws. */
export function listPretrained(): PretrainedManifest[] {
  if (cache) return cache;
  const dir = manifestsDir();
  const out: PretrainedManifest[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const json = readJsonFileSync(join(dir, name), { what: 'pretrained model manifest', fix: 'reinstall GAN Studio (its assets are damaged)', code: 'MODEL_INVALID' });
    const parsed = PretrainedManifest.safeParse(json);
    if (!parsed.success) throw new AppError('MODEL_INVALID', `assets/models/${name} is not a valid manifest: ${parsed.error.message}`);
    out.push(parsed.data);
  }
  cache = out;
  return out;
}

/** ModelInfo rows for models:list (licence included). */
export function pretrainedModelInfos(): ModelInfo[] {
  return listPretrained().map((m) => ({
    id: m.id,
    name: m.name,
    source: 'pretrained',
    task: 'superres',
    family: m.family,
    scale: m.scale,
    bytes: m.totalBytes,
    createdAt: null,
    licence: `${m.licence} (${m.source.package}@${m.source.version}${m.source.author ? `, ${m.source.author}` : ''})`,
  }));
}

/** 'esrgan-slim' + 2 → 'esrgan-slim-x2'; a full id is returned as is. Null when it is not pretrained. */
export function resolvePretrainedId(model: string, scale?: number): string | null {
  const ids = listPretrained().map((m) => m.id);
  if (ids.includes(model)) return model;
  if ((PRETRAINED_NAMES as readonly string[]).includes(model)) {
    const id = `${model}-x${scale ?? 2}`;
    if (!ids.includes(id)) {
      const scales = listPretrained().filter((m) => m.id.startsWith(model + '-x')).map((m) => m.scale);
      throw new AppError('INVALID_ARGUMENT', `${model} has no ×${scale} model; available scales: ${scales.join(', ')}`);
    }
    return id;
  }
  return null;
}

export function getPretrainedManifest(id: string): PretrainedManifest {
  const m = listPretrained().find((x) => x.id === id);
  if (!m) throw new AppError('NOT_FOUND', `no pretrained model "${id}"; known: ${listPretrained().map((x) => x.id).join(', ')}`);
  return m;
}

/** Where the npm package keeps the model's files (walking up node_modules folders like Node does). */
export function pretrainedFolder(m: PretrainedManifest): string {
  let dir = appRoot();
  for (;;) {
    const candidate = join(dir, 'node_modules', ...m.source.package.split('/'));
    if (existsSync(join(candidate, 'package.json'))) return join(candidate, ...m.source.folder.split('/'));
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new AppError('MODEL_INVALID', `${m.id}: package ${m.source.package} is not installed — run npm ci`);
}

export interface LoadedPretrained {
  manifest: PretrainedManifest;
  model: tf.LayersModel;
  /** maps [1,h,w,3] in the model's input range to [1,h·s,w·s,3] in its output range */
  predict: (x: tf.Tensor4D) => tf.Tensor4D;
}

/** Loads a pretrained model after checking every file against its manifest. */
export async function loadPretrained(id: string): Promise<LoadedPretrained> {
  const manifest = getPretrainedManifest(id);
  if (manifest.customLayers.length > 0) registerEsrganCustomLayers();
  const model = await loadLayersModelFromDir(pretrainedFolder(manifest), { expectedFiles: manifest.files });
  return { manifest, model, predict: (x) => model.predict(x) as tf.Tensor4D };
}
