// models:* and generate:* — trained runs, the pretrained ESRGANs and imported TF.js models as
// one list; importing validates a model folder (every weight file inside it, byte counts right).
import { existsSync } from 'node:fs';
import { cp, lstat, readdir, realpath, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Handlers } from '../contract/api.js';
import { parseJsonText, readJsonFile } from '../common/json-file.js';
import { Id } from '../contract/common.js';
import { AppError } from '../contract/errors.js';
import { ModelSidecar, type ModelInfo } from '../contract/models.js';
import { listRuns } from '../workspace/runs-repo.js';
import { folderBytes } from '../workspace/workspace.js';
import type { AppContext } from './app-context.js';
import { requireRun, runDir, runFolderFacts } from './runs.js';
import { copyTreeFile, MAX_SIDECAR_BYTES, readTreeFile, validateModelFolder, type ModelFile } from './model-folder.js';
import { zipFiles } from '../common/zip-files.js';
import { writeFileDurable } from '../common/durable-write.js';
import { importModelFile, installModel, isModelFile, SIDECAR_FILE } from './model-import-file.js';
import { onnxExportFiles } from './onnx-import.js';

type ModelsHandlers = Pick<Handlers, 'models:list' | 'models:import' | 'models:update' | 'models:export' | 'generate:images' | 'generate:interpolate'>;

// lazy: the catalog module loads tfjs, which listing runs and imports does not need
const pretrained = () => import('../models/pretrained/catalog.js');

/**
 * A trained model's size is its newest checkpoint (what export copies and generation loads),
 * not the whole run folder with older checkpoints and samples. Read without tfjs: names only.
 */
async function latestCheckpointBytes(dir: string): Promise<number> {
  const checkpoints = join(dir, 'checkpoints');
  const newest = (await readdir(checkpoints).catch(() => [] as string[])).filter((n) => /^step-\d+$/.test(n))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5))).at(-1);
  return newest ? folderBytes(join(checkpoints, newest)) : 0;
}

export async function resolvePretrained(model: string, scale?: number): Promise<string | null> {
  return (await pretrained()).resolvePretrainedId(model, scale);
}

/** null when there is no imported model `id`; a damaged sidecar is an error naming it. */
export async function importedModel(ctx: AppContext, id: string): Promise<{ dir: string; info: ModelInfo } | null> {
  if (!/^[A-Za-z0-9._-]+$/.test(id)) return null;
  const dir = join(ctx.ws.layout.models, id);
  let side: ModelSidecar & { importedAt: number };
  try {
    side = await readJsonFile(join(dir, SIDECAR_FILE), { what: 'imported model sidecar', fix: `fix the JSON, or delete the folder ${dir} and import the model again`, code: 'MODEL_INVALID' });
  } catch (error) {
    if (error instanceof AppError) throw error;
    return null;
  }
  try {
    return {
      dir,
      info: {
        id, name: side.name ?? id, source: 'imported', task: side.task, family: side.architecture?.type ?? side.format ?? 'tfjs',
        ...(side.scale ? { scale: side.scale } : {}), ...(side.size ? { size: side.size } : {}),
        bytes: await folderBytes(dir), createdAt: side.importedAt ?? null, ...(side.licence ? { licence: side.licence } : {}),
        format: side.format ?? 'tfjs', ...(side.architecture ? { architecture: side.architecture.summary } : {}), ...(side.sourceFile ? { sourceFile: side.sourceFile } : {}),
      },
    };
  } catch {
    return null;
  }
}

export function modelsHandlers(ctx: AppContext): ModelsHandlers {
  const { ws, jobs } = ctx;

  const runGenerator = async (ref: string, task: 'generate' | 'interpolate', extra: Record<string, unknown>) => {
    const run = requireRun(ctx, ref);
    const runId = run.id;
    if (run.task !== 'generate') throw new AppError('INVALID_ARGUMENT', `run ${runId} is a ${run.task} model; generation needs a generate run`);
    const outDir = join(ws.layout.gallery, runId, `${task}-${Date.now()}`);
    const job = jobs.submit({ kind: 'generate', title: `${task} from ${run.name}`, task, input: { runId, runDir: runDir(ctx, runId), outDir, ...extra } });
    const settled = await jobs.settled(job.id);
    if (settled.state !== 'done') {
      throw new AppError(settled.error?.code ?? 'CANCELLED', settled.error?.message ?? `generation ${settled.state}`);
    }
    const rel = (p: string) => (p.startsWith(ws.root + '/') ? p.slice(ws.root.length + 1) : p);
    const result = settled.result as { items?: string[]; gif?: string | null } | null;
    return { items: (result?.items ?? []).map(rel), gif: result?.gif ? rel(result.gif) : null };
  };

  return {
    'models:list': async () => {
      const trained: ModelInfo[] = [];
      for (const r of listRuns(ws.catalog).filter((run) => run.step > 0)) {
        const { size } = await runFolderFacts(ctx, r);
        trained.push({
          id: r.id, name: r.name, source: 'trained', task: r.task, family: r.model,
          ...(r.spec.scale ? { scale: r.spec.scale } : {}), ...(size ? { size } : {}),
          bytes: await latestCheckpointBytes(runDir(ctx, r.id)), createdAt: r.createdAt, metrics: r.lastMetrics,
        });
      }
      const shipped = (await pretrained()).pretrainedModelInfos();
      const imported: ModelInfo[] = [];
      // dot-folders are imports still being assembled (model-import-file.ts)
      for (const name of (await readdir(ws.layout.models).catch(() => [] as string[])).filter((n) => !n.startsWith('.')).sort()) {
        // one damaged sidecar must not hide every other model: models:get names its problem
        const m = await importedModel(ctx, name).catch(() => null);
        if (m) imported.push(m.info);
      }
      return [...trained, ...shipped, ...imported];
    },
    'models:import': async ({ path, sidecar, name, licence }) => {
      // the path as given may not be a link (checked before userPath resolves it to a real path)
      if ((await lstat(resolve(path)).catch(() => null))?.isSymbolicLink()) {
        throw new AppError('MODEL_INVALID', `${path} is a link; import the folder it points to, or a copy — links are never followed into a model`);
      }
      const src = await ctx.userPath(path);
      const st = await lstat(src).catch(() => null);
      if (!st) throw new AppError('NOT_FOUND', `${src} does not exist`);
      if (st.isFile() && isModelFile(src)) {
        const id = await importModelFile(ctx, src, { ...(name ? { name } : {}), ...(licence ? { licence } : {}), ...(sidecar ? { given: sidecar } : {}) });
        return (await importedModel(ctx, id))!.info;
      }
      // every read below is relative to the folder's real path and refuses links inside it
      const folder = await realpath(st.isDirectory() ? src : dirname(src));
      let side = sidecar;
      if (!side) {
        for (const file of ['gan-studio.json', SIDECAR_FILE]) {
          const read = await readTreeFile(folder, file, MAX_SIDECAR_BYTES);
          if (read === null) continue;
          const json = parseJsonText(read.text, join(folder, file), { what: 'model sidecar', fix: 'fix the JSON (names and strings in double quotes, no trailing commas), or delete it and pass --task and --scale', code: 'MODEL_INVALID' });
          const parsed = ModelSidecar.safeParse(json);
          if (!parsed.success) throw new AppError('MODEL_INVALID', `${join(folder, file)} is not a valid sidecar: ${parsed.error.issues[0]?.message}`);
          side = parsed.data;
          break;
        }
      }
      if (!side) {
        throw new AppError('INVALID_ARGUMENT', `${folder} has no sidecar (gan-studio.json: task, scale, input range); pass --task and --scale, or add the file`);
      }
      side = { ...side, ...(name ? { name } : {}), ...(licence ? { licence } : {}) };
      // an ONNX export (models export --format onnx) holds model.onnx files instead of model.json
      const files = (await onnxExportFiles(folder, side)) ?? (await modelFiles(folder, side));
      const id = await installModel(ctx, side, basename(folder), async (temp) => {
        for (const f of files) await copyTreeFile(folder, f, temp);
      });
      return (await importedModel(ctx, id))!.info;
    },
    'models:update': async ({ id, name, licence }) => {
      const model = await importedModel(ctx, id);
      if (!model) throw new AppError('NOT_FOUND', `no imported model ${id}; only imported models have an editable card (\`gan-studio models\` lists them)`);
      const path = join(model.dir, SIDECAR_FILE);
      const side = await readJsonFile<Record<string, unknown>>(path, { what: 'imported model sidecar', fix: `import the model again`, code: 'MODEL_INVALID' });
      if (name !== undefined) side.name = name;
      if (licence !== undefined) {
        if (licence.trim()) side.licence = licence.trim();
        else delete side.licence;
      }
      await writeFileDurable(path, JSON.stringify(side, null, 2));
      return (await importedModel(ctx, id))!.info;
    },
    'models:export': async ({ id: ref, out, checkpoint, zip, format }) => {
      // an imported or pretrained model by its id, else a run by id, unique name or folder
      const plainId = Id.safeParse(ref).success;
      const imported = plainId ? await importedModel(ctx, ref) : null;
      const pre = imported || !plainId ? null : await resolvePretrained(ref);
      const id = imported || pre ? ref : requireRun(ctx, ref).id;
      // never into an existing folder: an explicit --out must be new; the default picks a free name
      const dest = out ? await ctx.userPath(out, 'file') : freeName(join(ws.layout.exports, `model-${id}`));
      if (existsSync(dest)) throw new AppError('ALREADY_EXISTS', `${dest} already exists; export never overwrites — pick a new folder name`);
      if (format === 'onnx' && imported) {
        throw new AppError('INVALID_ARGUMENT', `${ref} is an imported model; ONNX export converts trained runs and the shipped ESRGANs — export it without --format onnx`);
      }
      const exportJob = async (title: string, input: Record<string, unknown>) => {
        // tfjs work: on the engine process, like every other model task
        const job = jobs.submit({ kind: 'export', title, task: 'export-model', input: { dest, ...input, ...(format ? { format } : {}) } });
        const settled = await jobs.settled(job.id);
        if (settled.state !== 'done') throw new AppError(settled.error?.code ?? 'CANCELLED', settled.error?.message ?? `export ${settled.state}`);
      };
      if (pre && format === 'onnx') {
        await exportJob(`export ${pre} as ONNX`, { runId: pre, runDir: '', pretrained: pre });
      } else if (imported) {
        await cp(imported.dir, dest, { recursive: true, errorOnExist: true, force: false });
      } else if (pre) {
        const cat = await pretrained();
        const manifest = cat.getPretrainedManifest(pre);
        await cp(cat.pretrainedFolder(manifest), dest, { recursive: true, errorOnExist: true, force: false });
        await writeFile(join(dest, 'gan-studio.json'), JSON.stringify({ task: 'superres', scale: manifest.scale, inputRange: manifest.inputRange, name: manifest.name, licence: manifest.licence }, null, 2));
      } else {
        const run = requireRun(ctx, id);
        await exportJob(`export ${run.name}`, { runId: id, runDir: runDir(ctx, id), name: run.name, ...(checkpoint ? { checkpoint } : {}) });
      }
      if (!zip) return { path: dest };
      const zipPath = freeName(`${dest}.zip`);
      const files = await listFiles(dest);
      await zipFiles(zipPath, files.map((f) => ({ path: join(dest, f), name: `${basename(dest)}/${f}` })));
      return { path: dest, zip: zipPath };
    },
    'generate:images': async ({ runId, checkpoint, count, seed, grid }) => {
      const { items } = await runGenerator(runId, 'generate', { count, seed, grid, ...(checkpoint ? { checkpoint } : {}) });
      return { items };
    },
    'generate:interpolate': async ({ runId, checkpoint, from, to, frames, gif }) =>
      runGenerator(runId, 'interpolate', { from, to, frames, gif, ...(checkpoint ? { checkpoint } : {}) }),
  };
}

/** `path`, or `path-2`, `path-3`… (before the extension), whichever does not exist yet. */
function freeName(path: string): string {
  if (!existsSync(path)) return path;
  const m = /^(.*?)(\.[a-z0-9]+)?$/i.exec(path)!;
  for (let i = 2; ; i++) {
    const candidate = `${m[1]}-${i}${m[2] ?? ''}`;
    if (!existsSync(candidate)) return candidate;
  }
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

/** The files to import: one model folder, or (CycleGAN exports) one per direction's subfolder. */
async function modelFiles(folder: string, side: ModelSidecar): Promise<ModelFile[]> {
  if (!side.directions) return validateModelFolder(folder);
  const files: ModelFile[] = [];
  for (const sub of new Set([side.directions.a2b, side.directions.b2a])) files.push(...(await validateModelFolder(folder, sub)));
  return files;
}
