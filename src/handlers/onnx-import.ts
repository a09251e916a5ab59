// What models:import stores for .onnx models: a single .onnx file is opened with ONNX Runtime,
// checked to map one image to one image, probed for its scale, and described by a sidecar (a ×1
// graph is a style-transfer / restoration model, used through stylize; ×2–×8 a super-resolution
// one). A folder `models export --format onnx` wrote is taken as it is: its sidecar already says.
import { lstat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AppError } from '../contract/errors.js';
import { ONNX_MODEL_FILE, type ModelSidecar } from '../contract/models.js';
import type { ModelFile } from './model-folder.js';

const SCALES = [2, 3, 4, 8] as const;

/** The sidecar of an imported .onnx file; `given` (the import form, --task / --input-range) wins where set. */
export async function onnxSidecar(file: string, given?: ModelSidecar): Promise<ModelSidecar> {
  // lazy: ONNX Runtime and tfjs load only when an .onnx file is imported
  const { describeOnnxImageFile } = await import('../inference/onnx-model.js');
  const facts = await describeOnnxImageFile(file, given ? { inputRange: given.inputRange, ...(given.outputRange ? { outputRange: given.outputRange } : {}) } : {});
  const task = facts.scale === 1 ? 'cyclegan' : 'superres';
  if (given && given.task !== task) {
    throw new AppError('INVALID_ARGUMENT', `${file} is a ×${facts.scale} image model (${facts.summary}), so it runs as ${task}, not ${given.task}`);
  }
  const scale = SCALES.find((s) => s === facts.scale);
  if (facts.scale > 1 && !scale) throw new AppError('MODEL_INVALID', `${file} upscales ×${facts.scale}; the studio runs ×2, ×3, ×4 and ×8 models`);
  return {
    task,
    ...(scale ? { scale } : {}),
    inputRange: [...facts.inputRange] as [number, number],
    outputRange: [...facts.outputRange] as [number, number],
    channels: facts.channels,
    name: given?.name ?? basename(file).replace(/\.onnx$/i, ''),
    ...(given?.licence ? { licence: given.licence } : {}),
  };
}

/** model.onnx, or a2b/model.onnx and b2a/model.onnx, when `folder` is an ONNX export; null otherwise. */
export async function onnxExportFiles(folder: string, side: ModelSidecar): Promise<ModelFile[] | null> {
  const rels = side.directions ? [...new Set([side.directions.a2b, side.directions.b2a])].map((d) => `${d}/${ONNX_MODEL_FILE}`) : [ONNX_MODEL_FILE];
  const files: ModelFile[] = [];
  for (const rel of rels) {
    const st = await lstat(join(folder, rel)).catch(() => null);
    if (!st && !files.length) return null;
    if (!st) throw new AppError('MODEL_INVALID', `${join(folder, rel)} is missing; the ONNX export is incomplete — export it again`);
    if (!st.isFile()) throw new AppError('MODEL_INVALID', `${join(folder, rel)} is not a regular file (links are never followed into a model)`);
    files.push({ rel, bytes: st.size });
  }
  return files;
}
