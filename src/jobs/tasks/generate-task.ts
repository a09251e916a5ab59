// Engine tasks 'generate' and 'interpolate': pictures from a trained generator run, written into
// the workspace gallery folder and reported so the host records them as gallery items.
import { z } from 'zod';
import { ensureBackend } from '../engine-backend.js';
import { importOptional, type EngineTask } from '../engine-tasks.js';
import type { TaskContext } from '../reporter.js';

export const GenerateTaskInput = z.object({
  runId: z.string(),
  runDir: z.string(),
  outDir: z.string(),
  count: z.number().int().min(1),
  seed: z.number().int().min(0),
  checkpoint: z.string().optional(),
  grid: z.boolean().default(false),
});

export const InterpolateTaskInput = z.object({
  runId: z.string(),
  runDir: z.string(),
  outDir: z.string(),
  from: z.number().int().min(0),
  to: z.number().int().min(0),
  frames: z.number().int().min(2),
  gif: z.boolean(),
  checkpoint: z.string().optional(),
});

/** What B's generate functions return: written files (absolute paths), and a GIF for interpolate. */
type GenerateResult = { items?: string[]; files?: string[]; gif?: string | null } | string[];
interface GenerateModule {
  generateImages(runDir: string, o: { count: number; seed: number; checkpoint?: string; grid?: boolean }, outDir: string, ctx: TaskContext): Promise<GenerateResult>;
  interpolate(runDir: string, o: { from: number; to: number; frames: number; gif: boolean; checkpoint?: string }, outDir: string, ctx: TaskContext): Promise<GenerateResult>;
}

export function filesOf(result: GenerateResult): { items: string[]; gif: string | null } {
  if (Array.isArray(result)) return { items: result, gif: null };
  return { items: result.items ?? result.files ?? [], gif: result.gif ?? null };
}

export const generateTask: EngineTask = async (raw, ctx) => {
  const input = GenerateTaskInput.parse(raw);
  await ensureBackend('auto');
  const gen = await importOptional<GenerateModule>('../inference/generate.js', 'generation');
  const { items } = filesOf(await gen.generateImages(input.runDir, input, input.outDir, { signal: ctx.cancelSignal, report: ctx.report }));
  items.forEach((path, i) => ctx.output({ kind: 'generation', path, runId: input.runId, seed: input.seed + i }));
  return { stopped: 'done', result: { items } };
};

export const interpolateTask: EngineTask = async (raw, ctx) => {
  const input = InterpolateTaskInput.parse(raw);
  await ensureBackend('auto');
  const gen = await importOptional<GenerateModule>('../inference/generate.js', 'generation');
  const { items, gif } = filesOf(await gen.interpolate(input.runDir, input, input.outDir, { signal: ctx.cancelSignal, report: ctx.report }));
  items.forEach((path) => ctx.output({ kind: 'interpolation', path, runId: input.runId }));
  return { stopped: 'done', result: { items, gif } };
};
