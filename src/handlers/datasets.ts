// datasets:* — through the data module's core functions; imports run as light jobs in the host
// (no tfjs), alongside whatever the engine is doing.
import { basename } from 'node:path';
import { rm } from 'node:fs/promises';
import type { Handlers } from '../contract/api.js';
import { AppError } from '../contract/errors.js';
import type { ImportReport } from '../contract/datasets.js';
import { isLocked } from '../jobs/run-lock.js';
import { datasetImagesPage, getDataset, importReportFromJournal, renameDataset } from '../workspace/datasets-repo.js';
import { listRuns } from '../workspace/runs-repo.js';
import { removeDatasetEverywhere } from '../workspace/recovery.js';
import type { AppContext } from './app-context.js';
import { runDir } from './runs.js';

type DatasetsHandlers = Pick<Handlers, `datasets:${string}` & keyof Handlers>;

function requireDataset(ctx: AppContext, id: string) {
  const d = getDataset(ctx.ws.catalog, id);
  if (!d) throw new AppError('NOT_FOUND', `no dataset ${id}; list datasets with \`gan-studio datasets\``);
  return d;
}

export function datasetsHandlers(ctx: AppContext): DatasetsHandlers {
  const { ws, jobs } = ctx;
  const asResult = (r: ImportReport) => ({ result: r as unknown as Record<string, unknown>, errors: r.rejected.length });
  return {
    'datasets:list': async () => (await import('../workspace/datasets-repo.js')).listDatasets(ws.catalog),
    'datasets:get': ({ id }) => requireDataset(ctx, id),
    'datasets:images': ({ id, offset, limit }) => (requireDataset(ctx, id), datasetImagesPage(ws.catalog, id, offset, limit)),
    'datasets:import': async ({ paths, name, acceptPartial, maxPixels }) => {
      const resolved = await Promise.all(paths.map((p) => ctx.userPath(p)));
      const m = await import('../data/import.js');
      const job = jobs.runLight({
        kind: 'import', title: `import ${name ?? basename(resolved[0]!)}`,
        run: async (tc) => asResult(await m.importIntoWorkspace(ws, { paths: resolved, ...(name ? { name } : {}), acceptPartial, ...(maxPixels ? { maxPixels } : {}) }, tc)),
      });
      return { jobId: job.id };
    },
    'datasets:importSample': async ({ sample, limit }) => {
      const m = await import('../data/samples.js');
      const job = jobs.runLight({ kind: 'import', title: `import sample ${sample}`, run: async (tc) => asResult(await m.importSample(ws, sample, { ...(limit ? { limit } : {}) }, tc)) });
      return { jobId: job.id };
    },
    'datasets:report': ({ id }) => (requireDataset(ctx, id), importReportFromJournal(ws.catalog, id)),
    'datasets:rename': ({ id, name }) => {
      requireDataset(ctx, id);
      renameDataset(ws.catalog, id, name);
      return requireDataset(ctx, id);
    },
    'datasets:delete': async ({ id }) => {
      requireDataset(ctx, id);
      const users = listRuns(ws.catalog).filter((r) => [r.spec.datasetId, r.spec.datasetA, r.spec.datasetB].includes(id) && isLocked(runDir(ctx, r.id)));
      if (users.length) throw new AppError('JOB_STATE', `dataset ${id} is being used by training run ${users[0]!.id}; stop it first`);
      removeDatasetEverywhere(ws, id);
      await rm(ws.layout.cache + '/' + id, { recursive: true, force: true });
      return { ok: true as const };
    },
  };
}
