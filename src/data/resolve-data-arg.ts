// What `--data X` means on the command line: a dataset id, a dataset's name, a file/folder/zip
// to import first, or the name of a bundled sample set.
import { existsSync } from 'node:fs';
import { SAMPLE_DATASETS, type SampleDataset } from '../contract/datasets.js';
import { AppError } from '../contract/errors.js';
import type { TaskContext } from '../common/reporter.js';
import { getDataset, listDatasets } from '../workspace/datasets-repo.js';
import type { Workspace } from '../workspace/workspace.js';
import { importIntoWorkspace } from './import.js';
import { importSample } from './samples.js';

export async function resolveDataArg(ws: Workspace, arg: string, ctx: TaskContext): Promise<string> {
  if (getDataset(ws.catalog, arg)) return arg;
  const byName = listDatasets(ws.catalog).find((d) => d.name === arg); // newest first
  if (byName) return byName.id;
  if (existsSync(arg)) {
    const report = await importIntoWorkspace(ws, { paths: [arg] }, ctx);
    ctx.report.log('info', `imported ${arg} as dataset ${report.datasetId}: ${report.accepted} images, ${report.duplicates.length} duplicates, ${report.rejected.length} refused`);
    return report.datasetId;
  }
  if ((SAMPLE_DATASETS as readonly string[]).includes(arg)) {
    const report = await importSample(ws, arg as SampleDataset, {}, ctx);
    return report.datasetId;
  }
  throw new AppError('NOT_FOUND', `"${arg}" is neither a dataset (see \`gan-studio datasets\`), a file, folder or .zip, nor a sample set (${SAMPLE_DATASETS.join(', ')})`);
}
