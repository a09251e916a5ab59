// Engine task 'export-model': a trained run's inference networks written as TF.js layers-model
// folders or ONNX (and a shipped ESRGAN converted to ONNX). It loads tfjs and a checkpoint, so it runs in the engine, never in the UI process.
import { z } from 'zod';
import type { EngineTask } from '../engine-task.js';

export const ExportTaskInput = z.object({
  runId: z.string(),
  runDir: z.string(),
  /** instead of a run: a shipped ESRGAN to convert (format onnx) */
  pretrained: z.string().optional(),
  dest: z.string(),
  name: z.string().optional(),
  checkpoint: z.string().optional(),
  format: z.enum(['tfjs', 'onnx']).optional(),
});

export const exportTask: EngineTask = async (raw, ctx) => {
  const input = ExportTaskInput.parse(raw);
  // no backend choice here: choosing 'auto' probes every backend (seconds), and an export only
  // copies weights — tfjs's default backend does that, and a later job still picks its own
  const { exportPretrainedOnnx, exportTrainedRun } = await import('./export-run.js');
  ctx.report.progress({ done: 0, total: 1, unit: 'model' });
  const result = input.pretrained ? await exportPretrainedOnnx(input.pretrained, input.dest)
    : await exportTrainedRun(input.runDir, input.dest, { ...input, signal: ctx.cancelSignal });
  ctx.report.progress({ done: 1, total: 1, unit: 'model' });
  return { stopped: 'done', result: { ...result } };
};
