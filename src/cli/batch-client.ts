// `gan-studio upscale` and `stylize` are clients of batch:start: the batch's folder walk and
// output naming (jobs/batch/plan.ts), its engine, its per-item report and its no-clobber rule,
// printed the way these commands always printed their work — a header, one line per file as it
// is written, a summary — or as JSON lines (`file`, `file-failed`, `file-skipped`, `done`).
import { isAbsolute, relative, resolve } from 'node:path';
import { AppError } from '../contract/errors.js';
import type { BatchItemReport, BatchReport, BatchSpecInput } from '../contract/batch.js';
import { parseBatchStart } from '../jobs/batch/batch-task.js';
import { imageSize } from '../handlers/image-size.js';
import { EXIT, type CommandContext } from './command.js';
import { call, withApp } from './app-client.js';
import { followJob } from './commands/train-progress.js';
import { terminalText } from './terminal-text.js';

export interface BatchClientText {
  /** the first line, once the engine has loaded the model: `upscaling 3 image(s) with …` */
  header(start: { count: number; loaded: string; backend: string }): string;
  /** what a written item's JSON line adds: `{ scale }`, `{ direction }` */
  fileFields(item: { input: string; width: number; height: number }): Record<string, unknown>;
  /** the last line: `done: 3 upscaled` */
  summary(counts: { ok: number; skipped: number; failed: number }): string;
}

/** A path as the user reads it: relative to the working folder when it is inside it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export async function runAsBatch(ctx: CommandContext, spec: BatchSpecInput, text: BatchClientText): Promise<number> {
  const { io, json } = ctx;
  const full: BatchSpecInput = { ...spec, inputs: (spec.inputs ?? []).map((p) => resolve(p)), ...(spec.out ? { out: resolve(spec.out) } : {}) };
  return withApp(ctx, async (app) => {
    const { jobId } = await call(app, 'batch:start', { spec: full });
    let total = 0;
    let printed = 0;
    const counts = { ok: 0, skipped: 0, failed: 0 };
    const print = (item: BatchItemReport, index: number) => {
      const n = `[${index + 1}/${total}]`;
      if (item.status === 'failed') {
        counts.failed++;
        if (json) io.out(JSON.stringify({ event: 'file-failed', input: item.input, code: item.code, message: item.message }));
        else io.err(`  ${n} ${terminalText(shown(item.input))}: ${item.code}: ${item.message}`);
      } else if (item.status === 'skipped') {
        counts.skipped++;
        if (json) io.out(JSON.stringify({ event: 'file-skipped', input: item.input, output: item.output, message: item.message }));
        else io.out(`  ${n} ${terminalText(shown(item.input))} → ${terminalText(shown(item.output!))} (already done)`);
      } else {
        counts.ok++;
        const size = imageSize(item.output!) ?? { width: 0, height: 0 };
        const seconds = (item.ms ?? 0) / 1000;
        if (json) io.out(JSON.stringify({ event: 'file', input: item.input, output: item.output, ...size, ...text.fileFields({ input: item.input, ...size }), seconds }));
        else io.out(`  ${n} ${terminalText(shown(item.input))} → ${terminalText(shown(item.output!))} (${size.width}×${size.height}, ${seconds.toFixed(1)} s)`);
      }
    };
    // the report grows in plan order; each file-progress event prints what is new in it
    let printing: Promise<void> = Promise.resolve();
    const catchUp = (report?: BatchReport) => {
      printing = printing.then(async () => {
        const r = report ?? (await call(app, 'batch:report', { jobId }).catch(() => null));
        for (; r && printed < r.items.length; printed++) print(r.items[printed]!, printed);
      });
      return printing;
    };
    const job = await followJob(ctx, app, jobId, {
      event(e) {
        if (e.type === 'log' && e.level === 'info') {
          const start = parseBatchStart(e.message);
          if (start) {
            total = start.count;
            if (!json) io.out(text.header(start));
          }
        } else if (e.type === 'log') {
          if (!json && !/^\S.*: [A-Z_]+: /.test(e.message)) io.err(`${e.level}: ${e.message}`); // item failures print as items
        } else if (e.type === 'progress' && e.progress.unit === 'file') {
          total ||= e.progress.total;
          void catchUp();
        }
      },
    });
    await printing;
    if (job.state === 'failed') throw new AppError(job.error?.code ?? 'INTERNAL', job.error?.message ?? 'the batch failed');
    const final = await call(app, 'batch:report', { jobId }).catch(() => null);
    if (final) {
      total = final.total;
      await catchUp(final);
    }
    if (job.state !== 'done') {
      if (!json) io.err(`${job.state}: ${counts.ok} written before it stopped`);
      return EXIT.interrupted;
    }
    if (json) io.out(JSON.stringify({ event: 'done', total, failed: counts.failed, skipped: counts.skipped }));
    else io.out(text.summary(counts));
    return counts.failed ? EXIT.failed : EXIT.ok;
  });
}
