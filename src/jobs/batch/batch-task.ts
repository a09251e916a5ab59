// Engine task 'batch': loads the plan frozen when the job was queued, the model's per-item
// processor, and runs the batch against the workspace catalog (items survive crashes).
import { join } from 'node:path';
import { readJsonFile } from '../../common/json-file.js';
import { openWorkspace } from '../../workspace/workspace.js';
import { ensureBackend } from '../engine-backend.js';
import type { EngineTask } from '../engine-task.js';
import type { BatchPlan } from './plan.js';
import { taskDefinition, type FrozenBatch } from '../../tasks/index.js';
import { runBatch } from './runner.js';

export const PLAN_FILE = 'plan.json';

export function readBatchPlan(jobDir: string): Promise<BatchPlan> {
  return readJsonFile<BatchPlan>(join(jobDir, PLAN_FILE), { what: 'batch plan', fix: 'this job cannot go on; start the batch again' });
}

/** The batch's first log line, which the CLI's upscale and stylize print as their header. */
export function batchStartMessage(count: number, loaded: string, backend: string): string {
  return `${count} item${count === 1 ? '' : 's'} with ${loaded} on ${backend}`;
}

export function parseBatchStart(message: string): { count: number; loaded: string; backend: string } | null {
  const m = /^(\d+) items? with (.+) on (\S+)$/.exec(message);
  return m ? { count: Number(m[1]), loaded: m[2]!, backend: m[3]! } : null;
}

export interface BatchTaskInput {
  spec: FrozenBatch;
  resume?: boolean;
}

export const batchTask: EngineTask = async (raw, ctx) => {
  const { spec } = raw as BatchTaskInput;
  const plan = await readBatchPlan(spec.jobDir);
  const ws = openWorkspace(ctx.workspace);
  try {
    if (spec.queue) {
      // the workers do the pixels (on their own --backend): this process needs neither tfjs nor the model
      const { runQueuedBatch } = await import('../queue/dispatch.js');
      return await runQueuedBatch({ spec, plan, catalog: ws.catalog, url: spec.queue, files: spec.queueFiles ?? 'redis' }, ctx);
    }
    const backend = await ensureBackend(spec.backend ?? 'auto');
    const processItem = await taskDefinition(spec.task).batchProcessor(spec);
    ctx.report.log('info', batchStartMessage(plan.items.length, processItem.loaded ?? spec.model, backend));
    return await runBatch({ spec, plan, catalog: ws.catalog, process: processItem }, ctx);
  } finally {
    ws.close();
  }
};
