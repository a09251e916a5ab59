// The path from "something was dropped" to an import job: upload first in browser mode (with
// a count and an ETA), then `datasets:import` with the resulting paths. The job's progress and
// report then arrive on the event channel.
import type { ImportReport } from '../../../src/contract/index.js';
import { api, userPathsFor, type DroppedFile } from '../../lib/api.js';
import { isFinal, jobs } from '../../lib/state/jobs.svelte.js';
import { toasts } from '../../lib/state/toasts.svelte.js';
import { i18n, t } from '../../lib/i18n.svelte.js';

export interface UploadState {
  done: number;
  total: number;
  startedAt: number;
  eta: number | null;
}

export class ImportFlow {
  uploading = $state<UploadState | null>(null);
  jobIds = $state<string[]>([]);
  report = $state<ImportReport | null>(null);

  /** Imports what was dropped; returns the job id, or null when it failed (a toast says why). */
  async importDropped(files: DroppedFile[], topLevel: File[]): Promise<string | null> {
    const name = guessName(files);
    try {
      const started = Date.now();
      const paths = await userPathsFor(files, {
        topLevel,
        onProgress: (p) => {
          const elapsed = (Date.now() - started) / 1000;
          const eta = p.bytesDone > 0 ? (elapsed * (p.bytesTotal - p.bytesDone)) / p.bytesDone : null;
          this.uploading = { done: p.done, total: p.total, startedAt: started, eta };
        },
      });
      this.uploading = null;
      if (paths.length === 0) throw new Error(t('datasets.nothingDropped'));
      return await this.importPaths(paths, name);
    } catch (error) {
      this.uploading = null;
      toasts.error(error, t('datasets.importFailed'));
      return null;
    }
  }

  async importPaths(paths: string[], name?: string, acceptPartial = false): Promise<string | null> {
    try {
      const { jobId } = await api['datasets:import']({ paths, name, ...(acceptPartial ? { acceptPartial } : {}) });
      this.track(jobId, acceptPartial ? undefined : () => void this.importPaths(paths, name, true));
      return jobId;
    } catch (error) {
      toasts.error(error, t('datasets.importFailed'));
      return null;
    }
  }

  async importSample(sample: 'mnist' | 'emoji-google' | 'emoji-twitter', limit?: number): Promise<void> {
    try {
      const { jobId } = await api['datasets:importSample']({ sample, limit });
      this.track(jobId);
    } catch (error) {
      toasts.error(error, t('datasets.sampleFailed'));
    }
  }

  /** `importValidPart` is offered when an archive was refused only because some entries were. */
  track(jobId: string, importValidPart?: () => void): void {
    this.jobIds.push(jobId);
    // A small import can finish (its `done` arriving over the event channel) before the
    // datasets:import call returns its job id: take the result from the store then.
    const settled = jobs.get(jobId);
    if (settled?.state === 'done') {
      const result = settled.result as unknown as ImportReport | null;
      if (result && typeof result === 'object' && 'accepted' in result) this.report = result;
      else void this.loadReport(jobId);
      return;
    }
    if (settled && isFinal(settled.state)) return;
    const stop = jobs.listen((e) => {
      if (e.jobId !== jobId) return;
      if (e.type === 'done') {
        stop();
        const result = e.result as unknown as ImportReport | undefined;
        if (result && typeof result === 'object' && 'accepted' in result) this.report = result;
        else void this.loadReport(jobId);
      } else if (e.type === 'failed' || e.type === 'cancelled' || e.type === 'interrupted') {
        stop();
        if (e.type === 'failed' && importValidPart && /accept-partial/.test(e.message)) {
          toasts.push({ tone: 'warning', title: t('datasets.importRestTitle'), message: t('datasets.importRestText'), action: { label: t('datasets.importRestAction'), run: importValidPart } }, 20_000);
        }
      }
    });
  }

  async loadReport(jobId: string): Promise<void> {
    const id = jobs.get(jobId)?.result?.datasetId;
    if (typeof id !== 'string') return;
    try {
      this.report = await api['datasets:report']({ id });
    } catch {
      // the dataset page can still show its own report
    }
  }
}

function guessName(files: DroppedFile[]): string | undefined {
  const tops = new Set(files.map((f) => f.relativePath.split('/')[0]));
  if (tops.size === 1 && files[0]?.relativePath.includes('/')) return [...tops][0];
  if (files.length === 1) return files[0].file.name.replace(/\.(zip)$/i, '');
  // loose files: name the set after when it was dropped, never after a server-side staging folder
  const when = new Date().toLocaleString(i18n.locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  return t('datasets.droppedName', { when });
}
