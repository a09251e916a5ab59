// A diagnostic engine task: counts to `total` with `delayMs` per step, saving its cursor to
// `dir/count.json` (under the folder's lock) so pause, resume, cancel and a killed engine can be
// exercised without a model. `gan-studio doctor` and the job tests use it.
import { readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../contract/errors.js';
// atomic: a killed engine never leaves a half-written cursor
import { writeFileDurable } from '../../common/durable-write.js';
import { acquireLock } from '../run-lock.js';
import type { EngineTask } from '../engine-task.js';

const CountInput = z.object({
  dir: z.string().min(1),
  total: z.number().int().min(1),
  delayMs: z.number().int().min(0).default(10),
  failAt: z.number().int().optional(),
});


export const countTask: EngineTask = async (raw, ctx) => {
  const input = CountInput.parse(raw);
  await mkdir(input.dir, { recursive: true });
  const lock = acquireLock(input.dir, `job ${ctx.jobId}`);
  try {
    const file = join(input.dir, 'count.json');
    let done = 0;
    try {
      done = (JSON.parse(await readFile(file, 'utf8')) as { done: number }).done;
    } catch {
      done = 0;
    }
    ctx.report.log('info', `counting from ${done} to ${input.total}`);
    while (done < input.total) {
      if (ctx.signal.aborted) {
        await writeFileDurable(file, JSON.stringify({ done }));
        return { stopped: ctx.cancelSignal.aborted ? 'cancelled' : 'paused', result: { done } };
      }
      await new Promise((r) => setTimeout(r, input.delayMs));
      done++;
      if (input.failAt === done) throw new AppError('INTERNAL', `diagnostic failure at ${done}`);
      if (done % 10 === 0) await writeFileDurable(file, JSON.stringify({ done }));
      ctx.report.progress({ done, total: input.total, unit: 'step' });
    }
    await writeFileDurable(file, JSON.stringify({ done }));
    return { stopped: 'done', result: { done } };
  } finally {
    lock.release();
  }
};
