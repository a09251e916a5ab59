// Checkpoints on disk (CONVENTIONS.md #8): runs/<id>/checkpoints/step-000500/{state.json,
// weights.bin}, written into a temp folder, fsynced, renamed into place, then the `latest`
// pointer moves. Startup recovery deletes leftovers and falls back past a corrupt newest one;
// when every checkpoint is corrupt it refuses (restarting from step 0 would quietly lose the run).
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { parseJsonText, readJsonFile } from '../common/json-file.js';
import { AppError } from '../contract/errors.js';
import type { CheckpointInfo } from '../contract/runs.js';
import type { GanModel } from '../models/types.js';
import { CHECKPOINT_FORMAT, restoreModel, serializeModel, type CheckpointState } from './checkpoint-format.js';
import { stateChecksum, verifyCheckpoint } from './checkpoint-verify.js';
import { checkpointName, checkpointsDir, readPointer, stepDirs } from './checkpoint-dirs.js';
import { fsyncDir, writeFailure, writeFileDurable, writeFileSynced } from './fs-sync.js';

export { CHECKPOINTS_DIR, checkpointName, checkpointsDir, resumableStep } from './checkpoint-dirs.js';
const LEFTOVER = /^\.(tmp|old)-/;
/** where resume moves checkpoints it skipped as corrupt: kept for inspection, never loaded or pruned */
const QUARANTINE_PREFIX = 'corrupt-';
const STATE_JSON_FIX = 'the checkpoint is damaged; resuming falls back to the checkpoint before it, or restore the folder from a backup';

export interface LoadedCheckpoint {
  name: string;
  dir: string;
  state: CheckpointState;
  buffer: Buffer;
}


export interface SaveOptions {
  step: number;
  configHash: string;
  cursor: Record<string, unknown>;
  score?: number | null;
  /** every quality number computed with the score, e.g. { 'quality/kid': …, 'quality/confident': … } */
  scores?: Record<string, number>;
  /** keep this many newest checkpoints, plus the best one */
  keep: number;
}

/** Saves atomically and prunes; failures become DISK_FULL / CHECKPOINT_WRITE_FAILED. */
export async function saveCheckpoint(runDir: string, model: GanModel, options: SaveOptions): Promise<string> {
  const dir = checkpointsDir(runDir);
  const name = checkpointName(options.step);
  const { tensors, buffer } = await serializeModel(model);
  const state: CheckpointState = {
    format: CHECKPOINT_FORMAT,
    family: model.family,
    step: options.step,
    configHash: options.configHash,
    spec: model.spec,
    cursor: options.cursor,
    createdAt: Date.now(),
    score: options.score ?? null,
    ...(options.scores ? { scores: options.scores } : {}),
    ...tensors,
    weightsBytes: buffer.byteLength,
    weightsSha256: createHash('sha256').update(buffer).digest('hex'),
  };
  state.stateSha256 = stateChecksum(state);
  const tmp = join(dir, `.tmp-${name}-${process.pid}-${Date.now()}`);
  try {
    await mkdir(dir, { recursive: true });
    await assertRoomFor(dir, buffer.byteLength, name);
    await mkdir(tmp, { recursive: true });
    await writeFileSynced(join(tmp, 'weights.bin'), buffer);
    await writeFileSynced(join(tmp, 'state.json'), JSON.stringify(state));
    await fsyncDir(tmp);
    const final = join(dir, name);
    // a folder of that name exists only when resuming past a corrupt checkpoint: move it aside
    // (recovery deletes .old-*) so the rename below cannot fail on a non-empty target
    await rename(final, join(dir, `.old-${name}-${process.pid}-${Date.now()}`)).catch(() => {});
    await rename(tmp, final);
    await fsyncDir(dir);
    await writeFileDurable(join(dir, 'latest'), name + '\n');
    const best = await bestCheckpoint(runDir);
    // scores of another kind (an older run's SWD before KID existed) do not compare: the new one wins
    const comparable = best !== null && best.score !== null && rankedBy(best.scores) === rankedBy(state.scores);
    if (state.score !== null && (!comparable || state.score <= best.score!)) {
      await writeFileDurable(join(dir, 'best'), name + '\n');
    }
  } catch (error) {
    await rm(tmp, { recursive: true, force: true }).catch(() => {});
    throw writeFailure(error, `checkpoint ${name} in ${dir}`);
  }
  await pruneCheckpoints(runDir, options.keep, options.step);
  return name;
}

/** Refuses before writing when the disk clearly cannot hold the checkpoint (plus some slack). */
async function assertRoomFor(dir: string, bytes: number, name: string): Promise<void> {
  const fs = await statfs(dir).catch(() => null);
  if (!fs) return;
  const free = Number(fs.bavail) * Number(fs.bsize);
  const needed = bytes + 16 * 1024 * 1024;
  if (free < needed) {
    throw new AppError('DISK_FULL', `not enough disk space for checkpoint ${name} in ${dir}: ${Math.round(needed / 1e6)} MB needed, ${Math.round(free / 1e6)} MB free; free some space, then resume the run`);
  }
}

/** What a checkpoint's score measures: KID when the digit features applied, else SWD. */
function rankedBy(scores: Record<string, number> | undefined): string {
  return scores && 'quality/kid' in scores ? 'kid' : 'swd';
}

async function bestCheckpoint(runDir: string): Promise<{ name: string; score: number | null; scores?: Record<string, number> } | null> {
  const name = await readPointer(runDir, 'best');
  if (!name) return null;
  try {
    const state = await readJsonFile<CheckpointState>(join(checkpointsDir(runDir), name, 'state.json'), { what: 'checkpoint state', fix: STATE_JSON_FIX });
    return { name, score: state.score, ...(state.scores ? { scores: state.scores } : {}) };
  } catch {
    return null;
  }
}

/**
 * Keeps the `keep` newest checkpoints up to the one just saved, plus the best. Folders of later
 * steps are left alone and not counted: they exist only when a resume fell back past them, and
 * counting them would prune the good checkpoint just written in favour of a corrupt one.
 */
async function pruneCheckpoints(runDir: string, keep: number, savedStep: number): Promise<void> {
  const best = await readPointer(runDir, 'best');
  const latest = await readPointer(runDir, 'latest');
  const upToSaved = (await stepDirs(runDir)).filter((d) => d.step <= savedStep);
  for (const { name } of upToSaved.slice(Math.max(1, keep))) {
    if (name !== best && name !== latest) await rm(join(checkpointsDir(runDir), name), { recursive: true, force: true });
  }
}

/** Reads and verifies one checkpoint folder (state and weights checksums, format, tensor table); throws CHECKPOINT_CORRUPT. */
export async function readCheckpoint(runDir: string, name: string): Promise<LoadedCheckpoint> {
  const dir = join(checkpointsDir(runDir), name);
  let text: string;
  let buffer: Buffer;
  try {
    text = await readFile(join(dir, 'state.json'), 'utf8');
    buffer = await readFile(join(dir, 'weights.bin'));
  } catch (error) {
    throw new AppError('CHECKPOINT_CORRUPT', `checkpoint ${dir} cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  const state = parseJsonText<CheckpointState>(text, join(dir, 'state.json'), { what: 'checkpoint state', fix: STATE_JSON_FIX, code: 'CHECKPOINT_CORRUPT' });
  verifyCheckpoint(dir, state, buffer);
  return { name, dir, state, buffer };
}

/** restoreModel, with every failure naming the checkpoint it came from. */
export async function restoreCheckpoint(model: GanModel, loaded: LoadedCheckpoint, options: Parameters<typeof restoreModel>[3] = {}): Promise<void> {
  try {
    await restoreModel(model, loaded.state, loaded.buffer, options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!(error instanceof AppError) && /out of memory|OOM/i.test(message)) throw error;
    throw new AppError(error instanceof AppError ? error.code : 'CHECKPOINT_CORRUPT', `checkpoint ${loaded.dir}: ${message}`, { cause: error });
  }
}

/**
 * Startup recovery: deletes half-written temp folders, then returns the newest checkpoint that
 * verifies, warning about every newer one it had to skip (and re-pointing `latest` at it).
 * `quarantine` (resume) also moves the skipped ones aside as corrupt-step-NNNNNN so the resumed
 * run neither counts them when pruning nor trips over them again. When checkpoints exist but
 * none verifies it throws CHECKPOINT_CORRUPT naming them all; null means there are none.
 */
export async function loadLatestCheckpoint(
  runDir: string,
  log: (message: string) => void = () => {},
  options: { quarantine?: boolean } = {},
): Promise<LoadedCheckpoint | null> {
  await removeLeftovers(runDir);
  const dir = checkpointsDir(runDir);
  const skipped: Array<{ name: string; why: string }> = [];
  for (const { name } of await stepDirs(runDir)) {
    let loaded: LoadedCheckpoint;
    try {
      loaded = await readCheckpoint(runDir, name);
    } catch (error) {
      skipped.push({ name, why: error instanceof Error ? error.message : String(error) });
      continue;
    }
    if (skipped.length) {
      log(`newest checkpoint ${skipped.map((s) => `${s.name} (${s.why})`).join(', ')} is unusable; resuming from ${name} instead`);
      // the pointer first: a crash between the two must not leave it naming a moved folder
      await writeFileDurable(join(dir, 'latest'), name + '\n').catch(() => {});
      if (options.quarantine) await quarantine(dir, skipped.map((s) => s.name), log);
    }
    return loaded;
  }
  if (!skipped.length) return null;
  throw new AppError(
    'CHECKPOINT_CORRUPT',
    `no usable checkpoint in ${dir}: ${skipped.map((s) => s.why).join('; ')}. ` +
      `Restore ${skipped.map((s) => s.name).join(', ')} from a backup, or move ${skipped.length === 1 ? 'it' : 'them'} out of ${dir} to train this run again from step 0`,
  );
}

async function quarantine(dir: string, names: string[], log: (message: string) => void): Promise<void> {
  for (const name of names) {
    const target = `${QUARANTINE_PREFIX}${name}-${Date.now()}`;
    try {
      await rename(join(dir, name), join(dir, target));
      log(`moved the unusable checkpoint ${name} aside to ${join(dir, target)}; delete it once you no longer need it`);
    } catch {
      // another process moved or pruned it first; pruning never counts later steps anyway
    }
  }
  await fsyncDir(dir).catch(() => {});
}

export async function removeLeftovers(runDir: string): Promise<string[]> {
  let names: string[] = [];
  try {
    names = await readdir(checkpointsDir(runDir));
  } catch {
    return [];
  }
  const leftovers = names.filter((n) => LEFTOVER.test(n) || /\.tmp-\d+-\d+$/.test(n));
  for (const n of leftovers) await rm(join(checkpointsDir(runDir), n), { recursive: true, force: true });
  return leftovers;
}

export async function listCheckpoints(runDir: string): Promise<CheckpointInfo[]> {
  const latest = await readPointer(runDir, 'latest');
  const best = await readPointer(runDir, 'best');
  const infos: CheckpointInfo[] = [];
  for (const { name, step } of await stepDirs(runDir)) {
    const dir = join(checkpointsDir(runDir), name);
    try {
      const state = await readJsonFile<CheckpointState>(join(dir, 'state.json'), { what: 'checkpoint state', fix: STATE_JSON_FIX });
      const bytes = (await stat(join(dir, 'weights.bin'))).size + (await stat(join(dir, 'state.json'))).size;
      infos.push({ name, step, createdAt: state.createdAt, bytes, best: name === best, latest: name === latest, ...(state.score !== null ? { score: state.score } : {}), ...(state.scores ? { scores: state.scores } : {}) });
    } catch {
      // an unreadable folder is not listed; loadLatestCheckpoint reports it when it matters
    }
  }
  return infos;
}
