// What a running task reports (progress, metrics, samples, outputs, logs) becomes job events and
// catalog rows here; JobManager owns the lifecycle, this file only translates reports.
import type { JobEvent } from '../contract/events.js';
import type { Catalog } from '../workspace/catalog.js';
import { getJob, updateJob, type JobRecord } from '../workspace/jobs-repo.js';
import { updateRun } from '../workspace/runs-repo.js';
import { withEta, type ActiveProgress } from './job-replay.js';
import type { OutputNote, ReportMessage } from './protocol.js';

export interface JobHooks {
  /** a sample grid or output picture was reported: record it (gallery) and return its id */
  onOutput?(job: JobRecord, note: OutputNote): string | undefined;
  onMetrics?(job: JobRecord, step: number, values: Record<string, number>): void;
}

export interface ReportSink {
  catalog: Catalog;
  /** the workspace root: sample paths in events are relative to it */
  root: string;
  hooks: JobHooks;
  progressState: Map<string, ActiveProgress>;
  emit(event: JobEvent): void;
}

export function applyReport(sink: ReportSink, id: string, report: ReportMessage): void {
  const at = Date.now();
  switch (report.kind) {
    case 'progress': {
      const state = sink.progressState.get(id);
      const progress = withEta(state, report.progress);
      if (state) state.last = progress;
      // the catalog gets at most one progress write a second; events carry every value
      if (state && at - state.lastStored > 1000) {
        state.lastStored = at;
        const job = updateJob(sink.catalog, id, { progress }) ? getJob(sink.catalog, id) : null;
        if (job?.runId && progress.unit === 'step') updateRun(sink.catalog, job.runId, { step: progress.done });
      }
      sink.emit({ type: 'progress', jobId: id, at, progress });
      break;
    }
    case 'metrics': {
      const job = getJob(sink.catalog, id);
      if (job) sink.hooks.onMetrics?.(job, report.step, report.values);
      sink.emit({ type: 'metrics', jobId: id, at, step: report.step, values: report.values });
      break;
    }
    case 'sample': {
      const job = getJob(sink.catalog, id);
      const galleryId = job ? sink.hooks.onOutput?.(job, { kind: 'sample', path: report.path, step: report.step, runId: job.runId }) : undefined;
      sink.emit({ type: 'sample', jobId: id, at, step: report.step, path: workspaceRelative(sink.root, report.path), ...(galleryId ? { galleryId } : {}) });
      break;
    }
    case 'output': {
      const job = getJob(sink.catalog, id);
      if (job) sink.hooks.onOutput?.(job, report.output);
      break;
    }
    case 'log':
      sink.emit({ type: 'log', jobId: id, at, level: report.level, message: report.message });
      break;
  }
}

function workspaceRelative(root: string, path: string): string {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}
