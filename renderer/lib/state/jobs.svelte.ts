// The renderer's view of every job, fed by the one JobEvent channel and applied strictly in
// order (svelte.dev's Bundler.svelte.ts is the model: a class whose $state is driven by messages).
// The transport replays each job's current state to a new subscriber and again after a
// reconnect, so applying an event twice must change nothing: series, samples and logs are keyed.
import type { ErrorCode, JobEvent, JobKind, JobState, JobSummary, Progress } from '../../../src/contract/index.js';

export interface LogLine {
  at: number;
  level: 'info' | 'warn' | 'error';
  message: string;
}

export interface SeriesPoint {
  step: number;
  values: Record<string, number>;
}

export interface JobView {
  id: string;
  kind: JobKind | null;
  title: string;
  state: JobState;
  position: number | null;
  runId: string | null;
  progress: Progress | null;
  /** latest metric values and the step they belong to */
  metrics: Record<string, number>;
  metricsStep: number | null;
  /** live metric points seen on the channel (the run page merges them with runs:metrics) */
  series: SeriesPoint[];
  samples: Array<{ step: number; path: string; galleryId?: string }>;
  logs: LogLine[];
  error: { code: ErrorCode; message: string } | null;
  errorCount: number;
  result: Record<string, unknown> | null;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  updatedAt: number;
}

const FINAL: readonly JobState[] = ['done', 'failed', 'cancelled', 'interrupted'];
/** a live job silent this long is probably run by another process (a CLI `train`, a second app) */
const QUIET_MS = 3000;
const POLL_MS = 2000;
/** how often to look for jobs other processes started, when nothing live needs watching */
const DISCOVER_MS = 10_000;
const MAX_SERIES = 20_000;
const MAX_LOGS = 500;

export function isFinal(state: JobState): boolean {
  return FINAL.includes(state);
}

function blankJob(id: string, at: number): JobView {
  return {
    id, kind: null, title: id, state: 'queued', position: null, runId: null, progress: null,
    metrics: {}, metricsStep: null, series: [], samples: [], logs: [], error: null, errorCount: 0,
    result: null, createdAt: at, startedAt: null, endedAt: null, updatedAt: at,
  };
}

type Listener = (e: JobEvent, job: JobView) => void;

/** The event an ended job's owner sent its own UI, rebuilt from the catalog's row. */
function endEvent(s: JobSummary, now: number): JobEvent | null {
  const base = { jobId: s.id, at: s.endedAt ?? now };
  switch (s.state) {
    case 'done': return { ...base, type: 'done', errors: s.errors, ...(s.result ? { result: s.result } : {}) };
    case 'failed': return { ...base, type: 'failed', code: s.error?.code ?? 'INTERNAL', message: s.error?.message ?? 'the job failed' };
    case 'cancelled': return { ...base, type: 'cancelled' };
    case 'interrupted': return { ...base, type: 'interrupted', reason: s.error?.message ?? 'the process running it stopped' };
    default: return null;
  }
}

export class JobsStore {
  jobs = $state<Record<string, JobView>>({});
  /** bumps whenever a job of that kind reaches a final state: views $effect on it to reload */
  finished = $state<Record<JobKind, number>>({ train: 0, batch: 0, import: 0, generate: 0, eval: 0, export: 0 });
  /**
   * Events older than this (ms since epoch) are history the channel replays to a new subscriber:
   * a job that ended before this UI opened must not bump `finished`, or every view that reloads
   * on it would load twice at start-up. The app sets it when it subscribes; 0 counts everything.
   */
  liveSince = 0;
  // callbacks, not UI state: deliberately not reactive
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #listeners = new Set<Listener>();
  // when this process last heard of each job (its own clock, not the sender's): the owner of a job
  // sends events only to its own UI, so a live job that stays silent is followed by polling
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #heardAt = new Map<string, number>();

  list = $derived(Object.values(this.jobs).sort((a, b) => b.createdAt - a.createdAt));
  active = $derived(this.list.filter((j) => !isFinal(j.state)));

  get(id: string | null | undefined): JobView | undefined {
    return id ? this.jobs[id] : undefined;
  }

  byRun(runId: string): JobView | undefined {
    return this.list.find((j) => j.runId === runId);
  }

  /** Fires after each applied event; returns an unsubscribe function. */
  listen(cb: Listener): () => void {
    this.#listeners.add(cb);
    return () => this.#listeners.delete(cb);
  }

  /** Seeds the store from `jobs:list` (events that arrive later still win). */
  hydrate(summaries: JobSummary[], now = Date.now()): void {
    for (const s of summaries) {
      if (this.jobs[s.id]) continue;
      this.#heardAt.set(s.id, now);
      this.jobs[s.id] = {
        ...blankJob(s.id, s.createdAt),
        kind: s.kind, title: s.title, state: s.state, position: s.position, runId: s.runId,
        progress: s.progress, error: s.error, errorCount: s.errors, result: s.result,
        startedAt: s.startedAt, endedAt: s.endedAt,
      };
    }
  }

  apply(e: JobEvent): void {
    const existing = this.jobs[e.jobId];
    if (!existing) this.jobs[e.jobId] = blankJob(e.jobId, e.at);
    const job = this.jobs[e.jobId];
    const wasFinal = existing ? isFinal(job.state) : false;
    this.#heardAt.set(e.jobId, Date.now());
    job.updatedAt = Math.max(job.updatedAt, e.at);
    switch (e.type) {
      case 'queued':
        job.kind = e.kind;
        job.title = e.title;
        job.position = e.position;
        // A replayed 'queued' for a job we already saw running must not move it back.
        if (!existing || job.state === 'queued') job.state = 'queued';
        job.createdAt = Math.min(job.createdAt, e.at);
        break;
      case 'started':
        job.state = 'running';
        job.position = null;
        job.startedAt ??= e.at;
        if (e.runId) job.runId = e.runId;
        job.error = null;
        break;
      case 'resumed':
        job.state = 'running';
        job.error = null;
        break;
      case 'paused':
        job.state = 'paused';
        break;
      case 'progress':
        job.progress = e.progress;
        if (job.state === 'queued') job.state = 'running';
        break;
      case 'metrics':
        this.#applyMetrics(job, e.step, e.values);
        break;
      case 'sample':
        if (!job.samples.some((s) => s.step === e.step && s.path === e.path)) {
          job.samples.push({ step: e.step, path: e.path, galleryId: e.galleryId });
          job.samples.sort((a, b) => a.step - b.step);
        }
        break;
      case 'log':
        if (!job.logs.some((l) => l.at === e.at && l.message === e.message)) {
          job.logs.push({ at: e.at, level: e.level, message: e.message });
          if (e.level === 'error') job.errorCount++;
          if (job.logs.length > MAX_LOGS) job.logs.splice(0, job.logs.length - MAX_LOGS);
        }
        break;
      case 'done':
        job.state = 'done';
        job.endedAt = e.at;
        if (e.errors !== undefined) job.errorCount = Math.max(job.errorCount, e.errors);
        if (e.result) job.result = e.result;
        if (job.progress && job.progress.total > 0) job.progress = { ...job.progress, done: job.progress.total, eta: 0 };
        break;
      case 'failed':
        job.state = 'failed';
        job.endedAt = e.at;
        job.error = { code: e.code, message: e.message };
        break;
      case 'cancelled':
        job.state = 'cancelled';
        job.endedAt = e.at;
        break;
      case 'interrupted':
        job.state = 'interrupted';
        job.endedAt = e.at;
        job.error = { code: 'ENGINE_CRASHED', message: e.reason };
        break;
    }
    if (!wasFinal && isFinal(job.state) && job.kind && e.at >= this.liveSince) this.finished[job.kind]++;
    for (const cb of this.#listeners) cb(e, job);
  }

  /** Live jobs no event has reached for `quietMs`: their owner is another process. */
  quiet(now = Date.now(), quietMs = QUIET_MS): JobView[] {
    return this.active.filter((j) => now - (this.#heardAt.get(j.id) ?? 0) >= quietMs);
  }

  /**
   * Applies a fresh `jobs:list` to the jobs events do not reach: new ones are added, quiet live
   * ones take the catalog's state and progress. A job that hears events keeps what they said, and
   * a job that ended stays ended (the catalog may lag the channel by a write).
   */
  refresh(summaries: JobSummary[], now = Date.now(), quietMs = QUIET_MS): void {
    for (const s of summaries) {
      const job = this.jobs[s.id];
      if (!job) {
        this.hydrate([s], now);
        // found through the catalog, not the channel: follow it from the next tick on
        this.#heardAt.set(s.id, 0);
        continue;
      }
      if (isFinal(job.state) || now - (this.#heardAt.get(s.id) ?? 0) < quietMs) continue;
      job.kind = s.kind;
      job.title = s.title;
      job.state = s.state;
      job.position = s.position;
      job.runId = s.runId ?? job.runId;
      // a periodic catalog write can lag the last progress this UI saw: never step back
      if (s.progress && (!job.progress || s.progress.done >= job.progress.done || s.progress.total !== job.progress.total)) job.progress = s.progress;
      job.error = s.error;
      job.errorCount = Math.max(job.errorCount, s.errors);
      if (s.result) job.result = s.result;
      job.startedAt ??= s.startedAt;
      job.endedAt = s.endedAt ?? job.endedAt;
      if (isFinal(job.state)) {
        if (s.state === 'done' && job.progress && job.progress.total > 0) job.progress = { ...job.progress, done: job.progress.total, eta: 0 };
        this.finished[s.kind]++;
        // the owner's 'failed'/'done'/… never reached this UI: tell listeners (toasts) what the catalog says
        const ended = endEvent(s, now);
        if (ended) for (const cb of this.#listeners) cb(ended, job);
      }
    }
  }

  /**
   * Polls `list` every ~2 s while a live job is quiet (run by another process), and every 10 s
   * otherwise to pick up jobs other processes start. Returns a stop function.
   */
  follow(list: () => Promise<JobSummary[]>, opts: { pollMs?: number; discoverMs?: number; quietMs?: number } = {}): () => void {
    const pollMs = opts.pollMs ?? POLL_MS;
    const discoverMs = opts.discoverMs ?? DISCOVER_MS;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastPoll = Date.now();
    const tick = async () => {
      const now = Date.now();
      if (this.quiet(now, opts.quietMs).length > 0 || now - lastPoll >= discoverMs) {
        lastPoll = now;
        try {
          const summaries = await list();
          if (!stopped) this.refresh(summaries, Date.now(), opts.quietMs);
        } catch {
          // the server is away for a moment: the next tick tries again
        }
      }
      if (!stopped) timer = setTimeout(tick, pollMs);
    };
    timer = setTimeout(tick, pollMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  #applyMetrics(job: JobView, step: number, values: Record<string, number>) {
    if (job.metricsStep === null || step >= job.metricsStep) {
      job.metrics = { ...job.metrics, ...values };
      job.metricsStep = step;
    }
    const series = job.series;
    const last = series[series.length - 1];
    if (!last || step > last.step) {
      series.push({ step, values });
    } else {
      // Replayed or out-of-order point: merge into its step instead of duplicating it.
      const at = series.findIndex((p) => p.step >= step);
      if (series[at].step === step) series[at] = { step, values: { ...series[at].values, ...values } };
      else series.splice(at, 0, { step, values });
    }
    if (series.length > MAX_SERIES) series.splice(0, series.length - MAX_SERIES);
  }
}

export const jobs = new JobsStore();
