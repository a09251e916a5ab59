// Loads a Keras layers-model (model.json + weight shards) from a folder on disk through a tf.io
// IOHandler that trusts nothing: weight paths must stay inside the folder (no `..`, no absolute
// paths, no symlinks out), the shards' bytes must equal what the weight specs need, and when a
// manifest of ours describes the folder, every file's size and sha256 must match it.
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { lstat, readFile, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { AppError } from '../../contract/errors.js';

export interface ExpectedFile {
  /** relative to the model folder, forward slashes */
  path: string;
  bytes: number;
  sha256: string;
}

export interface LoadOptions {
  /** when given, every listed file must exist with this size and hash, and no other shard may be used */
  expectedFiles?: ExpectedFile[];
  /** a cap on model.json (default 20 MiB) so a hostile file cannot exhaust memory */
  maxModelJsonBytes?: number;
}

interface WeightsGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

interface ModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: object;
  weightsManifest: WeightsGroup[];
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, float16: 2 };

function invalid(dir: string, why: string): AppError {
  return new AppError('MODEL_INVALID', `model in ${dir} is invalid: ${why} — reinstall the model package or re-export the model`);
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Resolves `relPath` under `dir`, refusing anything that would land outside it. */
export async function containedPath(dir: string, relPath: string): Promise<string> {
  if (typeof relPath !== 'string' || relPath.length === 0 || relPath.includes('\0')) throw invalid(dir, `weight path ${JSON.stringify(relPath)} is not a file name`);
  if (isAbsolute(relPath) || /^[a-zA-Z]:/.test(relPath) || relPath.startsWith('\\')) throw invalid(dir, `weight path "${relPath}" is absolute; paths must stay inside the model folder`);
  const root = resolve(dir);
  const full = resolve(root, relPath.replaceAll('\\', '/'));
  const rel = relative(root, full);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw invalid(dir, `weight path "${relPath}" escapes the model folder`);
  let stat;
  try {
    stat = await lstat(full);
  } catch {
    throw invalid(dir, `weight file "${relPath}" is missing`);
  }
  if (stat.isSymbolicLink()) {
    // A link is allowed only if its target is inside the folder too.
    const [realRoot, realFull] = await Promise.all([realpath(root), realpath(full)]);
    if (!realFull.startsWith(realRoot + sep)) throw invalid(dir, `weight file "${relPath}" is a link that points outside the model folder`);
  } else if (!stat.isFile()) {
    throw invalid(dir, `weight path "${relPath}" is not a file`);
  }
  return full;
}

function specBytes(spec: tf.io.WeightsManifestEntry): number {
  const per = spec.quantization ? DTYPE_BYTES[spec.quantization.dtype] : DTYPE_BYTES[spec.dtype];
  if (per === undefined) throw new Error(`unsupported dtype ${spec.quantization?.dtype ?? spec.dtype}`);
  return spec.shape.reduce((a, b) => a * b, 1) * per;
}

async function readModelJson(dir: string, options: LoadOptions): Promise<{ json: ModelJson; bytes: Uint8Array }> {
  const path = await containedPath(dir, 'model.json');
  const { size } = await lstat(path);
  const cap = options.maxModelJsonBytes ?? 20 * 2 ** 20;
  if (size > cap) throw invalid(dir, `model.json is ${size} bytes (limit ${cap})`);
  const bytes = new Uint8Array(await readFile(path));
  let json: ModelJson;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8')) as ModelJson;
  } catch (error) {
    throw invalid(dir, `model.json is not JSON (${(error as Error).message})`);
  }
  if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw invalid(dir, 'model.json lacks modelTopology or weightsManifest (is it a tfjs layers-model?)');
  }
  if (json.format !== undefined && json.format !== 'layers-model') throw invalid(dir, `format is "${json.format}", expected "layers-model"`);
  return { json, bytes };
}

function checkExpected(dir: string, rel: string, data: Uint8Array, expected: Map<string, ExpectedFile> | null): void {
  if (!expected) return;
  const want = expected.get(rel);
  if (!want) throw invalid(dir, `"${rel}" is not listed in the manifest`);
  if (data.byteLength !== want.bytes) throw invalid(dir, `"${rel}" is ${data.byteLength} bytes, the manifest says ${want.bytes}`);
  if (sha256(data) !== want.sha256) throw invalid(dir, `"${rel}" does not match the manifest's sha256`);
}

/** Reads and checks everything; returns what tfjs needs. Exposed for tests and for models:import. */
export async function readLayersModelArtifacts(dir: string, options: LoadOptions = {}): Promise<tf.io.ModelArtifacts> {
  const expected = options.expectedFiles ? new Map(options.expectedFiles.map((f) => [f.path, f])) : null;
  const { json, bytes: jsonBytes } = await readModelJson(dir, options);
  checkExpected(dir, 'model.json', jsonBytes, expected);

  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) throw invalid(dir, 'a weightsManifest group lacks paths or weights');
    let groupBytes = 0;
    // Validate every path before reading any shard.
    const files = await Promise.all(group.paths.map((p) => containedPath(dir, p)));
    for (let i = 0; i < files.length; i++) {
      const data = new Uint8Array(await readFile(files[i]!));
      checkExpected(dir, group.paths[i]!.replaceAll('\\', '/'), data, expected);
      buffers.push(data);
      groupBytes += data.byteLength;
    }
    let need = 0;
    for (const spec of group.weights) {
      try {
        need += specBytes(spec);
      } catch (error) {
        throw invalid(dir, `weight "${spec?.name}": ${(error as Error).message}`);
      }
      weightSpecs.push(spec);
    }
    if (need !== groupBytes) {
      throw invalid(dir, `weight shards ${group.paths.join(', ')} hold ${groupBytes} bytes but the weights need ${need}`);
    }
  }
  const total = buffers.reduce((a, b) => a + b.byteLength, 0);
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    weightData.set(b, offset);
    offset += b.byteLength;
  }
  return {
    modelTopology: json.modelTopology,
    weightSpecs,
    weightData: weightData.buffer,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? undefined,
  };
}

/** A tf.io.IOHandler over a folder on disk (load only). */
export function folderIOHandler(dir: string, options: LoadOptions = {}): tf.io.IOHandler {
  return { load: () => readLayersModelArtifacts(dir, options) };
}

/** Loads and validates a layers-model from `dir`; throws AppError MODEL_INVALID with the reason. */
export async function loadLayersModelFromDir(dir: string, options: LoadOptions = {}): Promise<tf.LayersModel> {
  const handler = folderIOHandler(dir, options);
  try {
    return await tf.loadLayersModel(handler);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw invalid(dir, `tfjs could not build it: ${(error as Error).message}`);
  }
}

