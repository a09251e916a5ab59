// Engine task 'train': one training run, resumable. Holds the run folder's lock for its whole
// life so no second engine ever writes the same run.
import { z } from 'zod';
import { TrainSpec } from '../../contract/runs.js';
import type { BatchSource } from '../../data/types.js';
import { openWorkspace } from '../../workspace/workspace.js';
import { ensureBackend } from '../engine-backend.js';
import type { EngineTask } from '../engine-task.js';
import { acquireLock } from '../run-lock.js';
import { buildTrainSource } from '../../tasks/index.js';

export const TrainTaskInput = z.object({
  runId: z.string(),
  runDir: z.string(),
  spec: TrainSpec,
  resume: z.boolean().default(false),
  /** plain folders of images, when no workspace dataset stands for the data (CLI --data DIR) */
  data: z.string().optional(),
  dataA: z.string().optional(),
  dataB: z.string().optional(),
});

export const trainTask: EngineTask = async (raw, ctx) => {
  const input = TrainTaskInput.parse(raw);
  const lock = acquireLock(input.runDir, `training job ${ctx.jobId}`);
  const ws = openWorkspace(ctx.workspace);
  let source: BatchSource | null = null;
  try {
    const backend = await ensureBackend(input.spec.backend);
    ctx.report.log('info', `training on ${backend}`);
    // lazy: tfjs and the model families load once the backend is chosen
    const { train, specForRun } = await import('../../training/train.js');
    const { getFamily } = await import('../../models/index.js');
    // a resumed run saved before a setting existed keeps its old behaviour, source included
    const spec = await specForRun(input.spec, input.runDir, input.resume);
    const resolved = getFamily(spec.model).resolve(TrainSpec.parse(spec));
    const folders = { ...(input.data ? { data: input.data } : {}), ...(input.dataA ? { dataA: input.dataA } : {}), ...(input.dataB ? { dataB: input.dataB } : {}) };
    source = await buildTrainSource(ws, resolved, { ...folders, ctx });
    const out = await train({ spec, runDir: input.runDir, source, resume: input.resume }, ctx);
    return { stopped: out.stopped, result: { step: out.step, runId: input.runId, backend } };
  } finally {
    source?.dispose();
    ws.close();
    lock.release();
  }
};
