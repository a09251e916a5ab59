// The small files of a run folder besides checkpoints: spec.json (what was asked),
// metrics.jsonl (one MetricPoint per line), train.log (human log), samples/.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseJsonText } from '../common/json-file.js';
import type { MetricPoint } from '../contract/runs.js';
import type { ResolvedSpec } from '../models/types.js';
import { writeFileDurable } from './fs-sync.js';

export interface RunSpecFile {
  format: 1;
  family: string;
  configHash: string;
  spec: ResolvedSpec;
  createdAt: number;
  /** the tfjs backend the latest session trained on (lists show it; the spec only says what was asked) */
  backend?: string;
}

export const runPaths = (runDir: string) => ({
  spec: join(runDir, 'spec.json'),
  metrics: join(runDir, 'metrics.jsonl'),
  log: join(runDir, 'train.log'),
  samples: join(runDir, 'samples'),
  sample: (step: number) => join(runDir, 'samples', `step-${String(step).padStart(6, '0')}.png`),
});

/** null when the run has no spec.json yet; a damaged one is an error naming it. */
export async function readRunSpec(runDir: string): Promise<RunSpecFile | null> {
  const text = await readFile(runPaths(runDir).spec, 'utf8').catch(() => null);
  if (text === null) return null;
  return parseJsonText<RunSpecFile>(text, runPaths(runDir).spec, {
    what: 'run settings',
    fix: 'fix the JSON, or delete the file: resuming then takes the settings from the newest checkpoint',
  });
}

export async function writeRunSpec(runDir: string, file: RunSpecFile): Promise<void> {
  await mkdir(runDir, { recursive: true });
  await writeFileDurable(runPaths(runDir).spec, JSON.stringify(file, null, 2) + '\n');
}

export async function appendMetrics(runDir: string, point: MetricPoint): Promise<void> {
  await appendFile(runPaths(runDir).metrics, JSON.stringify(point) + '\n');
}

export async function readMetrics(runDir: string, sinceStep = 0): Promise<MetricPoint[]> {
  let text = '';
  try {
    text = await readFile(runPaths(runDir).metrics, 'utf8');
  } catch {
    return [];
  }
  const points: MetricPoint[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const p = JSON.parse(line) as MetricPoint;
      if (p.step >= sinceStep) points.push(p);
    } catch {
      // a line cut by a crash mid-append; the next resume rewrites the file without it
    }
  }
  return points;
}

/**
 * On resume, drops metrics from steps after the checkpoint (the crashed run got further than
 * its last save), so the curve has no duplicated steps.
 */
export async function truncateMetrics(runDir: string, upToStep: number): Promise<void> {
  const kept = (await readMetrics(runDir)).filter((p) => p.step <= upToStep);
  await writeFileDurable(runPaths(runDir).metrics, kept.map((p) => JSON.stringify(p) + '\n').join(''));
}

export async function appendLog(runDir: string, level: string, message: string): Promise<void> {
  await appendFile(runPaths(runDir).log, `${new Date().toISOString()} ${level.toUpperCase()} ${message}\n`).catch(() => {});
}
