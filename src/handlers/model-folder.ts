// Validation of a TF.js model folder before import: model.json parses, has a topology and a
// weights manifest, every weight path is a plain relative path inside the folder (no `..`, no
// absolute paths, no links), and each group's files hold exactly the bytes its weights declare.
import { lstat, readFile } from 'node:fs/promises';
import { join, normalize, isAbsolute, sep } from 'node:path';
import { AppError } from '../contract/errors.js';

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, int16: 2, int8: 1, complex64: 8 };

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string };
}

/** Returns the files to copy (relative): model.json and every weight file. */
export async function validateModelFolder(folder: string): Promise<string[]> {
  const modelJson = join(folder, 'model.json');
  let model: { modelTopology?: unknown; weightsManifest?: Array<{ paths: string[]; weights: WeightSpec[] }> };
  try {
    model = JSON.parse(await readFile(modelJson, 'utf8'));
  } catch (error) {
    throw new AppError('MODEL_INVALID', `${modelJson} is missing or not JSON (${(error as Error).message}); pick the folder that holds a TF.js model.json`);
  }
  if (!model.modelTopology || !Array.isArray(model.weightsManifest)) {
    throw new AppError('MODEL_INVALID', `${modelJson} has no modelTopology or weightsManifest; export the model with tfjs (model.save) or tensorflowjs_converter`);
  }
  const files = ['model.json'];
  for (const [g, group] of model.weightsManifest.entries()) {
    if (!Array.isArray(group.paths) || !Array.isArray(group.weights)) throw new AppError('MODEL_INVALID', `${modelJson}: weight group ${g} has no paths or weights`);
    let actual = 0;
    for (const p of group.paths) {
      const clean = typeof p === 'string' ? normalize(p) : '';
      if (!clean || isAbsolute(clean) || clean.startsWith('..') || clean.split(sep).includes('..') || clean.includes('\0')) {
        throw new AppError('MODEL_INVALID', `${modelJson}: weight path "${p}" points outside the model folder; weight files must sit inside it`);
      }
      const st = await lstat(join(folder, clean)).catch(() => null);
      if (!st) throw new AppError('MODEL_INVALID', `${modelJson}: weight file ${clean} is missing from ${folder}`);
      if (!st.isFile()) throw new AppError('MODEL_INVALID', `${modelJson}: ${clean} is not a regular file (links are not followed)`);
      actual += st.size;
      files.push(clean);
    }
    const expected = group.weights.reduce((n, w) => {
      const dtype = w.quantization?.dtype ?? w.dtype;
      const bytes = DTYPE_BYTES[dtype];
      if (!bytes || !Array.isArray(w.shape)) throw new AppError('MODEL_INVALID', `${modelJson}: weight ${w.name} has an unknown dtype "${dtype}" or no shape`);
      return n + w.shape.reduce((a, b) => a * b, 1) * bytes;
    }, 0);
    if (expected !== actual) {
      throw new AppError('MODEL_INVALID', `${modelJson}: weight group ${g} declares ${expected} bytes but its files hold ${actual}; the download is incomplete or the files do not belong to this model`);
    }
  }
  return files;
}
