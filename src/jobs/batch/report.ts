// The batch report: every item with its status, as JSON and CSV.
import type { BatchItemReport, BatchReport } from '../../contract/batch.js';
import { writeFileDurable } from '../../common/durable-write.js';

function csvCell(value: string | undefined | null): string {
  const v = value ?? '';
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function reportCsv(items: BatchItemReport[]): string {
  const lines = ['input,output,status,code,message,ms'];
  for (const i of items) lines.push([i.input, i.output, i.status, i.code, i.message, i.ms === undefined ? '' : String(i.ms)].map(csvCell).join(','));
  return lines.join('\n') + '\n';
}

export function buildReport(jobId: string, outDir: string, items: BatchItemReport[]): BatchReport {
  return {
    jobId,
    outDir,
    total: items.length,
    ok: items.filter((i) => i.status === 'ok').length,
    skipped: items.filter((i) => i.status === 'skipped').length,
    failed: items.filter((i) => i.status === 'failed').length,
    items,
  };
}

/** Writes `<base>.json` and `<base>.csv` (base without extension). */
export async function writeReport(base: string, report: BatchReport): Promise<{ json: string; csv: string }> {
  const stem = base.replace(/\.(json|csv)$/i, '');
  const json = `${stem}.json`;
  const csv = `${stem}.csv`;
  await writeFileDurable(json, Buffer.from(JSON.stringify(report, null, 2)));
  await writeFileDurable(csv, Buffer.from(reportCsv(report.items)));
  return { json, csv };
}
