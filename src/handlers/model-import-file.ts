// models:import of one weights file, chosen by its extension: `.safetensors` (ESRGAN-family,
// architecture detected from names and shapes), `.onnx` (its own module), and the PyTorch
// pickles, which are refused with the one-line conversion to safetensors (a pickle can run code
// when loaded). A model is assembled in a hidden temporary folder and renamed into place only
// when complete, so a failed import leaves nothing behind and a listing never sees half a model.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { AppError } from '../contract/errors.js';
import { ONNX_MODEL_FILE, type ModelSidecar } from '../contract/models.js';
import { architectureParams, describeArchitecture, detectArchitecture } from '../models/community/architecture.js';
import { parseSafetensors, readModelFileBytes, tensorValues } from '../models/community/safetensors.js';
import type { AppContext } from './app-context.js';

export const SIDECAR_FILE = 'sidecar.json';

export interface FileImportOptions {
  name?: string;
  licence?: string;
  /** what the import form or --task / --input-range said (an .onnx file's range, when its metadata has none) */
  given?: ModelSidecar;
}

/** What an importer hands back: the files to store (by their name in the model folder) and the sidecar. */
export interface PreparedModel {
  files: Array<{ name: string; bytes: Buffer }>;
  sidecar: ModelSidecar;
}

type FileImporter = (path: string, opts: FileImportOptions) => Promise<PreparedModel>;

/** A file name without its extension, as a model's default name. */
function stem(path: string): string {
  return basename(path, extname(path));
}

async function prepareSafetensors(path: string, opts: FileImportOptions): Promise<PreparedModel> {
  const bytes = await readModelFileBytes(path);
  const file = parseSafetensors(path, bytes);
  const { architecture } = detectArchitecture(path, file.tensors);
  // every value decoded once: a NaN or Inf in the weights is refused now, naming its tensor
  for (const name of file.tensors.keys()) tensorValues(file, name);
  return {
    files: [{ name: 'model.safetensors', bytes }],
    sidecar: {
      task: 'superres',
      scale: architecture.scale as ModelSidecar['scale'],
      inputRange: [0, 1],
      outputRange: [0, 1],
      channels: architecture.inChannels === 1 ? 1 : 3,
      name: opts.name ?? stem(path),
      ...(opts.licence ? { licence: opts.licence } : {}),
      format: 'safetensors',
      file: 'model.safetensors',
      sourceFile: basename(path),
      architecture: { type: architecture.type, summary: describeArchitecture(architecture), params: architectureParams(architecture) },
    },
  };
}

/** The one-line conversion a .pth user runs (torch ≥ 1.13 loads with weights_only, which runs no pickled code). */
export function pickleConversionCommand(path: string): string {
  const out = `${stem(path)}.safetensors`;
  const q = (s: string) => s.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  return `python3 -c "import torch, safetensors.torch as st; d = torch.load('${q(path)}', map_location='cpu', weights_only=True); d = d.get('params_ema', d.get('params', d)); st.save_file({k: v.contiguous() for k, v in d.items()}, '${q(out)}')"`;
}

const PICKLES = ['.pth', '.pt', '.ckpt', '.pkl'];

/** The refusal of a PyTorch pickle, with the command that converts it (needs `pip install torch safetensors`). */
export function pickleRefusal(path: string): AppError | null {
  if (!PICKLES.includes(extname(path).toLowerCase())) return null;
  return new AppError('UNSUPPORTED_FORMAT', `${path} is a PyTorch pickle, which can run code when it is loaded; convert it to .safetensors (with torch and safetensors installed) and use that:\n  ${pickleConversionCommand(path)}`);
}

async function refusePickle(path: string): Promise<PreparedModel> {
  throw pickleRefusal(path)!;
}

/** An image-to-image .onnx graph: checked, probed for its scale and layout by ONNX Runtime (onnx-import.ts). */
async function prepareOnnx(path: string, opts: FileImportOptions): Promise<PreparedModel> {
  const { onnxSidecar } = await import('./onnx-import.js');
  const sidecar = await onnxSidecar(path, opts.given);
  return {
    files: [{ name: ONNX_MODEL_FILE, bytes: await readModelFileBytes(path) }],
    sidecar: {
      ...sidecar, name: opts.name ?? sidecar.name, ...(opts.licence ? { licence: opts.licence } : {}),
      format: 'onnx', file: ONNX_MODEL_FILE, sourceFile: basename(path),
    },
  };
}

/** Importers by extension. */
export const FILE_IMPORTERS: Record<string, FileImporter> = {
  '.safetensors': prepareSafetensors,
  '.onnx': prepareOnnx,
  ...Object.fromEntries(PICKLES.map((ext) => [ext, refusePickle])),
};

/** True when `path` names a weights file (by extension) rather than a TF.js folder or model.json. */
export function isModelFile(path: string): boolean {
  return extname(path).toLowerCase() in FILE_IMPORTERS;
}

/** A folder name for a new model: its name slugged, plus a short random suffix. */
export function newModelId(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 60) || 'model';
  return `${slug}-${randomUUID().slice(0, 6)}`;
}

/**
 * Writes a model into the workspace: `writeFiles` fills `models/.importing-…`, the sidecar goes
 * last, then one rename to `models/<id>`. Returns the id.
 */
export async function installModel(ctx: AppContext, sidecar: ModelSidecar, defaultName: string, writeFiles: (temp: string) => Promise<void>): Promise<string> {
  const id = newModelId(sidecar.name ?? defaultName);
  const temp = join(ctx.ws.layout.models, `.importing-${randomUUID()}`);
  await mkdir(temp, { recursive: true });
  try {
    await writeFiles(temp);
    await writeFile(join(temp, SIDECAR_FILE), JSON.stringify({ ...sidecar, importedAt: Date.now() }, null, 2), { flag: 'wx' });
    await rename(temp, join(ctx.ws.layout.models, id));
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  return id;
}

/** Imports one weights file; the caller has resolved `path` through ctx.userPath. */
export async function importModelFile(ctx: AppContext, path: string, opts: FileImportOptions): Promise<string> {
  const ext = extname(path).toLowerCase();
  const importer = FILE_IMPORTERS[ext];
  if (!importer) {
    throw new AppError('UNSUPPORTED_FORMAT', `${path}: ${ext} models cannot be imported here; import a .safetensors file, an .onnx file, or a TF.js model folder (model.json)`);
  }
  const prepared = await importer(path, opts);
  return installModel(ctx, prepared.sidecar, stem(path), async (temp) => {
    for (const f of prepared.files) await writeFile(join(temp, f.name), f.bytes, { flag: 'wx' });
  });
}
