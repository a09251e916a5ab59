// Names and pointers of a run's checkpoint folders, without tfjs: the run list (host process)
// reads them too, and must not load the tensor runtime to do it.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const CHECKPOINTS_DIR = 'checkpoints';
export const STEP_DIR = /^step-(\d+)$/;

export function checkpointName(step: number): string {
  return `step-${String(step).padStart(6, '0')}`;
}

export function checkpointsDir(runDir: string): string {
  return join(runDir, CHECKPOINTS_DIR);
}

export async function readPointer(runDir: string, name: 'latest' | 'best'): Promise<string | null> {
  try {
    const value = (await readFile(join(checkpointsDir(runDir), name), 'utf8')).trim();
    return STEP_DIR.test(value) ? value : null;
  } catch {
    return null;
  }
}

/** step-* folders, newest first */
export async function stepDirs(runDir: string): Promise<Array<{ name: string; step: number }>> {
  let names: string[];
  try {
    names = await readdir(checkpointsDir(runDir));
  } catch {
    return [];
  }
  return names
    .map((name) => ({ name, match: STEP_DIR.exec(name) }))
    .filter((e) => e.match)
    .map((e) => ({ name: e.name, step: Number(e.match![1]) }))
    .sort((a, b) => b.step - a.step);
}

/**
 * The step a resume starts from: the `latest` checkpoint (the pointer moves only after a whole,
 * atomic save, and back when a resume falls past a corrupt one) if its state.json reads, else
 * the newest step folder whose state.json does; null when there is none. After an engine is
 * killed at step 260 with its last save at 240 this says 240, where the catalog row says 260.
 * No weights are read or hashed (lists stay cheap); resume itself verifies the checksums.
 */
export async function resumableStep(runDir: string): Promise<number | null> {
  const latest = await readPointer(runDir, 'latest');
  const dirs = await stepDirs(runDir);
  const ordered = [...dirs.filter((d) => d.name === latest), ...dirs.filter((d) => d.name !== latest)];
  for (const { name } of ordered) {
    try {
      const { step } = JSON.parse(await readFile(join(checkpointsDir(runDir), name, 'state.json'), 'utf8')) as { step?: unknown };
      if (typeof step === 'number' && Number.isSafeInteger(step) && step >= 0) return step;
    } catch {
      // unreadable: try the next older one
    }
  }
  return null;
}
