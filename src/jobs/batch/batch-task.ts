// Engine task 'batch': loads the plan frozen when the job was queued, the model's per-item
// processor, and runs the batch against the workspace catalog (items survive crashes).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openWorkspace } from '../../workspace/workspace.js';
import { ensureBackend } from '../engine-backend.js';
import type { EngineTask } from '../engine-task.js';
import type { BatchPlan } from './plan.js';
import { loadProcessor, type FrozenBatch } from './processors.js';
import { runBatch } from './runner.js';

export const PLAN_FILE = 'plan.json';

export interface BatchTaskInput {
  spec: FrozenBatch;
  resume?: boolean;
}

export const batchTask: EngineTask = async (raw, ctx) => {
  const { spec } = raw as BatchTaskInput;
  const plan = JSON.parse(await readFile(join(spec.jobDir, PLAN_FILE), 'utf8')) as BatchPlan;
  const ws = openWorkspace(ctx.workspace);
  try {
    await ensureBackend('auto');
    const processItem = await loadProcessor(spec);
    return await runBatch({ spec, plan, catalog: ws.catalog, process: processItem }, ctx);
  } finally {
    ws.close();
  }
};
