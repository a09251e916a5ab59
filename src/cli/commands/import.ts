// gan-studio import: a thin client of datasets:import / datasets:importSample. The import runs
// as a job of the app (the same one the UI starts); this command follows it and prints the
// report the job leaves as its result.
import type { Command, CommandContext } from '../command.js';
import { EXIT, UsageError, choiceOpt, floatOpt, intOpt, stringOpt } from '../command.js';
import { SAMPLE_DATASETS, type ImportReport } from '../../contract/datasets.js';
import { AppError } from '../../contract/errors.js';
import type { JobSummary } from '../../contract/jobs.js';
import { call, withApp } from '../app-client.js';
import type { App } from '../../handlers/context.js';
import type { Reporter } from '../../common/reporter.js';
import { terminalText } from '../terminal-text.js';
import { followJob } from './train-progress.js';

/** A one-line progress bar on stderr (terminals only), redrawn at most ~10 times a second. */
export function progressBarReporter(ctx: CommandContext, label: string): Reporter {
  const draw = ctx.io.tty && !ctx.json;
  return {
    progress(p) {
      if (!draw) return;
      const width = 30;
      const fraction = p.total ? Math.min(1, p.done / p.total) : 0;
      const bar = '#'.repeat(Math.round(fraction * width)).padEnd(width, '.');
      const eta = p.eta != null ? `  ETA ${Math.ceil(p.eta)}s` : '';
      process.stderr.write(`\r${terminalText(label)} [${bar}] ${p.done}/${p.total} ${p.unit}s${eta}   ${p.done >= p.total && p.total ? '\n' : ''}`);
    },
    metrics() {},
    sample() {},
    log(level, message) {
      if (!ctx.json) ctx.io.err(`${level}: ${message}`);
    },
  };
}

export function printImportReport(ctx: CommandContext, report: ImportReport, name: string): void {
  if (ctx.json) {
    ctx.io.out(JSON.stringify({ event: 'done', report }));
    return;
  }
  ctx.io.out(`Imported ${report.accepted} image${report.accepted === 1 ? '' : 's'} into dataset ${report.datasetId} ("${name}").`);
  if (report.duplicates.length) {
    ctx.io.out(`${report.duplicates.length} duplicate${report.duplicates.length === 1 ? '' : 's'} (stored once):`);
    for (const d of report.duplicates.slice(0, 20)) ctx.io.out(`  ${d.file} = ${d.duplicateOf}`);
    if (report.duplicates.length > 20) ctx.io.out(`  ... and ${report.duplicates.length - 20} more (--json lists all)`);
  }
  if (report.rejected.length) {
    ctx.io.out(`${report.rejected.length} refused:`);
    for (const r of report.rejected) ctx.io.out(`  ${r.code.padEnd(22)} ${r.message}`);
  }
  if (report.skipped) ctx.io.out(`${report.skipped} hidden or system file${report.skipped === 1 ? '' : 's'} skipped.`);
}

/** The ImportReport an import job left as its result; its error when it did not finish. */
export function importReportOf(job: JobSummary): ImportReport {
  if (job.state === 'done' && job.result) return job.result as unknown as ImportReport;
  if (job.state === 'cancelled') throw new AppError('CANCELLED', 'the import was cancelled; nothing was kept');
  throw new AppError(job.error?.code ?? 'INTERNAL', job.error?.message ?? `the import ended ${job.state}`);
}

/**
 * Follows an import job to its report: a bar on a terminal; with `events`, every JobEvent as
 * one JSON line (the import command's --json). Throws the job's error when it failed.
 */
export async function followImport(ctx: CommandContext, app: App, jobId: string, opts: { events?: boolean; label?: string } = {}): Promise<ImportReport> {
  const job = await followJob(ctx, app, jobId, opts.events
    ? { event: (e) => ctx.io.out(JSON.stringify(e)) }
    : { report: progressBarReporter(ctx, opts.label ?? 'importing') });
  return importReportOf(job);
}

export const importCommand: Command = {
  name: 'import',
  summary: 'Import images (files, folders, zips) or a sample set as a dataset',
  usage: 'gan-studio import PATH... [--name NAME] [--accept-partial] [--max-megapixels N] [--json] | gan-studio import --sample mnist|emoji-google|emoji-twitter [--limit N]',
  options: {
    'name': { type: 'string' },
    'sample': { type: 'string' },
    'limit': { type: 'string' },
    'accept-partial': { type: 'boolean' },
    'max-megapixels': { type: 'string' },
  },
  async run(ctx) {
    const sample = choiceOpt(ctx.values, 'sample', SAMPLE_DATASETS);
    const limit = intOpt(ctx.values, 'limit');
    const maxMp = floatOpt(ctx.values, 'max-megapixels');
    if (!sample && !ctx.positionals.length) throw new UsageError('give at least one PATH, or --sample NAME');
    if (sample && ctx.positionals.length) throw new UsageError('give PATHs or --sample, not both');
    if (limit !== undefined && limit < 1) throw new UsageError('--limit must be at least 1');
    if (maxMp !== undefined && maxMp <= 0) throw new UsageError('--max-megapixels must be above 0');
    const name = stringOpt(ctx.values, 'name');
    return withApp(ctx, async (app) => {
      const { jobId } = sample
        ? await call(app, 'datasets:importSample', { sample, ...(limit ? { limit } : {}) })
        : await call(app, 'datasets:import', {
          paths: ctx.positionals,
          ...(name ? { name } : {}),
          acceptPartial: ctx.values['accept-partial'] === true,
          ...(maxMp ? { maxPixels: Math.max(1, Math.round(maxMp * 1e6)) } : {}),
        });
      const report = await followImport(ctx, app, jobId, { events: ctx.json });
      const dataset = await call(app, 'datasets:get', { id: report.datasetId }).catch(() => null);
      printImportReport(ctx, report, dataset?.name ?? name ?? sample ?? report.datasetId);
      return EXIT.ok;
    });
  },
};
