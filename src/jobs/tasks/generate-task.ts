// Engine tasks 'generate' and 'interpolate': pictures from a trained generator run, written into
// the workspace gallery folder and reported so the host records them as gallery items.
import { z } from 'zod';
import { ensureBackend } from '../engine-backend.js';
import type { EngineTask } from '../engine-task.js';

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

export const generateTask: EngineTask = async (raw, ctx) => {
  const input = GenerateTaskInput.parse(raw);
  await ensureBackend('auto');
  const gen = await import('../../inference/generate.js');
  const { files: items } = await gen.generateImages(input.runDir, input, input.outDir, { signal: ctx.cancelSignal, report: ctx.report });
  items.forEach((path, i) => ctx.output({ kind: 'generation', path, runId: input.runId, seed: input.seed + i }));
  return { stopped: 'done', result: { items } };
};

export const interpolateTask: EngineTask = async (raw, ctx) => {
  const input = InterpolateTaskInput.parse(raw);
  await ensureBackend('auto');
  const gen = await import('../../inference/generate.js');
  const { files: items, gif } = await gen.interpolate(input.runDir, input, input.outDir, { signal: ctx.cancelSignal, report: ctx.report });
  items.forEach((path) => ctx.output({ kind: 'interpolation', path, runId: input.runId }));
  return { stopped: 'done', result: { items, gif } };
};
