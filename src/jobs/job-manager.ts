// The job layer of one host process: a queue of heavy jobs (train, batch, generate) run one at
// a time on the engine process, light jobs (imports) run here alongside, every state change
// persisted in the catalog and published as JobEvents (progress throttled, lifecycle kept).
import { randomUUID } from 'node:crypto';
import { AppError, type WireError } from '../contract/errors.js';
import type { JobEvent, JobKind, JobState } from '../contract/events.js';
import type { ControlAnswer, JobSummary } from '../contract/jobs.js';
import type { Workspace } from '../workspace/workspace.js';
import {
  getJob, insertJob, listJobs, pruneJobRequests, updateJob, withdrawPendingRequests, type JobAction, type JobRecord, type JobRequest,
} from '../workspace/jobs-repo.js';
import { updateRun } from '../workspace/runs-repo.js';
import { EngineHost, inlineEngine, type EngineExit, type SpawnEngine } from './engine-host.js';
import { JobEventHub } from './event-hub.js';
import { currentOwner, isMine, ownerAlive, payloadOf, setPayload, type JobPayload } from './job-store.js';
import type { EngineMessage, ReportMessage, TaskOutcome } from './protocol.js';
import { ProgressThrottle } from './throttle.js';
import { forwardIfForeign, RequestPoller, waitForRequest } from './remote-control.js';
import { replayOf, type ActiveProgress } from './job-replay.js';
import { applyReport, type JobHooks } from './engine-reports.js';

export type { JobHooks };
import type { TaskContext } from '../common/reporter.js';

export interface HeavyJob {
  kind: JobKind;
  title: string;
  task: string;
  input: Record<string, unknown>;
  runId?: string | null;
  pausable?: boolean;
  id?: string;
}

const UNFINISHED: readonly JobState[] = ['queued', 'running', 'paused'];
const SETTLED: readonly JobState[] = ['paused', 'done', 'failed', 'cancelled', 'interrupted'];

export function newJobId(kind: string): string {
  return `${kind}-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
}

export class JobManager {
  readonly hub = new JobEventHub();
  private readonly throttle = new ProgressThrottle((e) => this.deliver(e));
  private readonly engine: EngineHost;
  private readonly queue: string[] = [];
  private active: string | null = null;
  private readonly light = new Map<string, AbortController>();
  private readonly progressState = new Map<string, ActiveProgress>();
  private readonly settleWaiters = new Map<string, Array<(job: JobSummary) => void>>();
  private closed = false;
  private readonly requests: RequestPoller;

  constructor(
    private readonly ws: Workspace,
    options: { engine?: 'fork' | 'inline'; spawnEngine?: SpawnEngine; hooks?: JobHooks; engineLog?: (chunk: string) => void } = {},
    private readonly hooks: JobHooks = options.hooks ?? {},
  ) {
    const spawnEngine = options.spawnEngine ?? (options.engine === 'inline' ? inlineEngine : undefined);
    this.engine = new EngineHost(
      { onMessage: (m) => this.onEngineMessage(m), onExit: (e) => this.onEngineExit(e) },
      { spawnEngine, log: options.engineLog },
    );
    this.requests = new RequestPoller(ws.catalog, (r) => this.applyRequest(r), () => Boolean(this.active || this.queue.length || this.light.size));
    this.recover();
  }

  get enginePid(): number | undefined {
    return this.engine.pid;
  }

  /** Kills the engine process (tests; the job is marked interrupted like any crash). */
  killEngine(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.engine.kill(signal);
  }

  subscribe(listener: (e: JobEvent) => void): () => void {
    return this.hub.subscribe(listener);
  }

  list(): JobSummary[] {
    return listJobs(this.ws.catalog).map((j) => this.summary(j));
  }

  get(id: string): JobSummary {
    return this.summary(this.record(id));
  }

  /** Queues a heavy job on the engine. Its input is frozen now. */
  submit(spec: HeavyJob): JobSummary {
    const id = spec.id ?? newJobId(spec.kind);
    const payload: JobPayload = { task: spec.task, input: spec.input, pausable: spec.pausable ?? false, owner: currentOwner() };
    insertJob(this.ws.catalog, { id, kind: spec.kind, title: spec.title, payload: payload as unknown as Record<string, unknown>, runId: spec.runId ?? null });
    this.enqueue(id, spec.kind, spec.title);
    return this.get(id);
  }

  /** Runs a light job (import) here in the host, alongside the engine's heavy job. */
  runLight(spec: { kind: JobKind; title: string; run: (ctx: TaskContext) => Promise<{ result?: Record<string, unknown>; errors?: number }> }): JobSummary {
    const id = newJobId(spec.kind);
    const payload: JobPayload = { task: null, input: {}, pausable: false, owner: currentOwner() };
    insertJob(this.ws.catalog, { id, kind: spec.kind, title: spec.title, payload: payload as unknown as Record<string, unknown>, state: 'running' });
    const controller = new AbortController();
    this.light.set(id, controller);
    this.requests.start();
    this.emit({ type: 'queued', jobId: id, kind: spec.kind, title: spec.title, position: 0, at: Date.now() });
    this.markStarted(id, false);
    const ctx: TaskContext = { signal: controller.signal, report: this.reporterFor(id) };
    void spec.run(ctx).then(
      (r) => this.finish(id, { stopped: 'done', result: r.result, errors: r.errors }),
      (error) => (controller.signal.aborted ? this.finish(id, { stopped: 'cancelled' }) : this.fail(id, error)),
    ).finally(() => this.light.delete(id));
    return this.get(id);
  }

  pause(id: string): ControlAnswer {
    const forwarded = this.forward(id, 'pause');
    if (forwarded) return forwarded;
    const job = this.controllable(id);
    if (job.state === 'paused') return { ok: true };
    if (!payloadOf(job).pausable) throw new AppError('JOB_STATE', `job ${id} (${job.kind}) cannot be paused; cancel it instead`);
    if (job.state === 'queued') {
      this.dequeue(id);
      this.setState(id, 'paused');
      this.emit({ type: 'paused', jobId: id, at: Date.now() });
    } else if (job.state === 'running' && this.active === id) {
      this.engine.send({ type: 'abort', jobId: id, reason: 'pause' });
    } else {
      throw new AppError('JOB_STATE', `job ${id} is ${job.state}; only queued or running jobs can be paused`);
    }
    return { ok: true };
  }

  resume(id: string): ControlAnswer {
    const forwarded = this.forward(id, 'resume');
    if (forwarded) return forwarded;
    const job = this.controllable(id);
    if (job.state !== 'paused' && job.state !== 'interrupted') {
      throw new AppError('JOB_STATE', `job ${id} is ${job.state}; only paused or interrupted jobs can be resumed`);
    }
    const payload = payloadOf(job);
    if (!payload.task) throw new AppError('JOB_STATE', `job ${id} (${job.kind}) cannot be resumed; start it again`);
    // training continues from its latest checkpoint; a batch skips the items it finished
    // taking over from a process that is gone: what was asked of it is not asked of us
    if (!isMine(job)) withdrawPendingRequests(this.ws.catalog, id, `superseded: pid ${process.pid} took the job over`);
    setPayload(this.ws.catalog, id, { ...payload, input: { ...payload.input, resume: true }, owner: currentOwner() });
    updateJob(this.ws.catalog, id, { error: null, endedAt: null });
    this.enqueue(id, job.kind, job.title);
    return { ok: true };
  }

  cancel(id: string): ControlAnswer {
    const forwarded = this.forward(id, 'cancel');
    if (forwarded) return forwarded;
    const job = this.controllable(id);
    if ((SETTLED as readonly string[]).includes(job.state) && job.state !== 'paused' && job.state !== 'interrupted') {
      throw new AppError('JOB_STATE', `job ${id} already ended (${job.state})`);
    }
    const light = this.light.get(id);
    if (light) light.abort(new AppError('CANCELLED', 'cancelled by the user'));
    else if (this.active === id) this.engine.send({ type: 'abort', jobId: id, reason: 'cancel' });
    else {
      this.dequeue(id);
      this.finish(id, { stopped: 'cancelled' });
    }
    return { ok: true };
  }

  /** Moves a queued job to `position` (0 = next). */
  reorder(id: string, position: number): ControlAnswer {
    const forwarded = this.forward(id, 'reorder', position);
    if (forwarded) return forwarded;
    const job = this.controllable(id);
    const at = this.queue.indexOf(id);
    if (job.state !== 'queued' || at < 0) throw new AppError('JOB_STATE', `job ${id} is ${job.state}; only queued jobs can be moved`);
    this.queue.splice(at, 1);
    this.queue.splice(Math.min(position, this.queue.length), 0, id);
    this.announcePositions();
    return { ok: true };
  }

  /**
   * After a control call answered with a `requestId` (another process owns the job): waits until
   * the owner applied it and returns the job; if the owner died meanwhile, acts here instead.
   */
  async awaitRequest(answer: ControlAnswer, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<{ job: JobSummary; handledHere: boolean }> {
    if (answer.requestId === undefined) throw new AppError('INVALID_ARGUMENT', 'this control call was applied here; there is nothing to wait for');
    const waited = await waitForRequest(this.ws.catalog, answer.requestId, opts);
    if ('job' in waited) return { job: this.summary(waited.job), handledHere: false };
    // the owner is gone: the usual path applies here (a running job is marked interrupted first);
    // a pause is then moot — an interrupted job resumes from its checkpoint like a paused one
    const job = this.controllable(waited.request.jobId);
    if (!(waited.request.action === 'pause' && job.state === 'interrupted')) this.applyRequest(waited.request);
    return { job: this.get(waited.request.jobId), handledHere: true };
  }

  /** Resolves when the job pauses or ends (the CLI waits on this). */
  settled(id: string): Promise<JobSummary> {
    const job = this.get(id);
    if (SETTLED.includes(job.state)) return Promise.resolve(job);
    return new Promise((resolve) => {
      const list = this.settleWaiters.get(id) ?? [];
      list.push(resolve);
      this.settleWaiters.set(id, list);
    });
  }

  /** Stops the engine (running training checkpoints first) and marks what it ran interrupted. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.requests.stop();
    for (const c of this.light.values()) c.abort(new AppError('CANCELLED', 'the app is closing'));
    for (const id of this.queue.splice(0)) this.interrupt(id, 'the app closed before this job started');
    await this.engine.shutdown();
    this.throttle.flushAll();
  }

  // ---- internals ----

  private record(id: string): JobRecord {
    const job = getJob(this.ws.catalog, id);
    if (!job) throw new AppError('NOT_FOUND', `no job ${id}; list jobs with \`gan-studio jobs\``);
    return job;
  }

  /** A job owned by another live process: the request goes to it through the catalog. */
  private forward(id: string, action: JobAction, position?: number): ControlAnswer | null {
    return forwardIfForeign(this.ws.catalog, this.record(id), action, position);
  }

  /** Applies a request another process recorded for one of this process's jobs. */
  private applyRequest(request: JobRequest): void {
    if (request.action === 'pause') this.pause(request.jobId);
    else if (request.action === 'resume') this.resume(request.jobId);
    else if (request.action === 'cancel') this.cancel(request.jobId);
    else this.reorder(request.jobId, request.position ?? 0);
  }

  /** A job this process may control: its own, or one whose owner is gone (`forward` routed the rest). */
  private controllable(id: string): JobRecord {
    const job = this.record(id);
    if (isMine(job) || !UNFINISHED.includes(job.state)) return job;
    if (ownerAlive(job)) {
      const { owner } = payloadOf(job);
      throw new AppError('JOB_STATE', `job ${id} is run by another gan-studio process (pid ${owner.pid} on ${owner.hostname}); control it there`);
    }
    if (job.state !== 'paused') this.interrupt(id, 'the process that ran it has stopped');
    return this.record(id);
  }

  private summary(job: JobRecord): JobSummary {
    const at = this.queue.indexOf(job.id);
    const { payload: _payload, ...rest } = job;
    return { ...rest, position: at >= 0 ? at : null };
  }

  private recover(): void {
    const cat = this.ws.catalog;
    pruneJobRequests(cat, 24 * 3600_000);
    for (const job of listJobs(cat, UNFINISHED)) {
      if (ownerAlive(job) && !isMine(job)) continue;
      if (job.state !== 'paused') this.interrupt(job.id, 'GAN Studio stopped while this job was running');
    }
    const recent = listJobs(cat).slice(0, 100).reverse();
    for (const job of recent) this.hub.seed(job.id, job.kind, job.title, job.createdAt, replayOf(job));
  }

  private enqueue(id: string, kind: JobKind, title: string): void {
    if (this.closed) throw new AppError('JOB_STATE', 'the app is closing; no new jobs');
    this.setState(id, 'queued');
    this.queue.push(id);
    this.requests.start();
    this.emit({ type: 'queued', jobId: id, kind, title, position: this.queue.length - 1, at: Date.now() });
    setImmediate(() => this.pump());
  }

  private dequeue(id: string): void {
    const at = this.queue.indexOf(id);
    if (at >= 0) {
      this.queue.splice(at, 1);
      this.announcePositions();
    }
  }

  private announcePositions(): void {
    this.queue.forEach((qid, position) => {
      updateJob(this.ws.catalog, qid, { position });
      const job = getJob(this.ws.catalog, qid);
      if (job) this.emit({ type: 'queued', jobId: qid, kind: job.kind, title: job.title, position, at: Date.now() });
    });
  }

  private pump(): void {
    if (this.active || this.closed || !this.queue.length) return;
    const id = this.queue.shift()!;
    this.announcePositions();
    const job = getJob(this.ws.catalog, id);
    if (!job || job.state !== 'queued') return this.pump();
    const payload = payloadOf(job);
    this.active = id;
    this.markStarted(id, job.startedAt !== null);
    try {
      this.engine.send({ type: 'run', jobId: id, task: payload.task!, input: payload.input, workspace: this.ws.root });
    } catch (error) {
      this.fail(id, error);
    }
  }

  private markStarted(id: string, resumed: boolean): void {
    const job = this.record(id);
    updateJob(this.ws.catalog, id, { state: 'running', startedAt: job.startedAt ?? Date.now(), position: null });
    if (job.runId) updateRun(this.ws.catalog, job.runId, { state: 'running', jobId: id });
    this.progressState.set(id, { startedAt: Date.now(), startDone: null, lastStored: 0 });
    if (resumed) this.emit({ type: 'resumed', jobId: id, at: Date.now() });
    else this.emit({ type: 'started', jobId: id, at: Date.now(), ...(job.runId ? { runId: job.runId } : {}) });
  }

  private reporterFor(id: string): TaskContext['report'] {
    const on = (report: ReportMessage) => this.onReport(id, report);
    return {
      progress: (progress) => on({ kind: 'progress', progress }),
      metrics: (step, values) => on({ kind: 'metrics', step, values }),
      sample: (step, path) => on({ kind: 'sample', step, path }),
      log: (level, message) => on({ kind: 'log', level, message }),
    };
  }

  private onEngineMessage(message: EngineMessage): void {
    if (message.type === 'ready') return;
    if (message.jobId !== this.active) return; // a late message for a job already settled
    if (message.type === 'report') this.onReport(message.jobId, message.report);
    else if (message.type === 'result') this.finishActive(message.jobId, () => this.finish(message.jobId, message.outcome));
    else if (message.type === 'error') this.finishActive(message.jobId, () => this.fail(message.jobId, message.error));
  }

  private finishActive(id: string, settle: () => void): void {
    settle();
    if (this.active === id) this.active = null;
    setImmediate(() => this.pump());
  }

  private onEngineExit(exit: EngineExit): void {
    const id = this.active;
    if (!id) return;
    this.active = null;
    if (exit.outOfMemory) {
      this.fail(id, { code: 'OUT_OF_MEMORY', message: 'out of memory — try a smaller batch or tile size' });
    } else {
      const how = exit.signal ? `was killed (${exit.signal})` : `exited with code ${exit.code}`;
      this.interrupt(id, `the engine process ${how}; resume to continue from the latest checkpoint`);
    }
    setImmediate(() => this.pump());
  }

  private onReport(id: string, report: ReportMessage): void {
    applyReport({ catalog: this.ws.catalog, root: this.ws.root, hooks: this.hooks, progressState: this.progressState, emit: (e) => this.emit(e) }, id, report);
  }

  private setState(id: string, state: JobState, extra: Parameters<typeof updateJob>[2] = {}): void {
    // the last progress value always lands in the catalog (periodic writes may have skipped it)
    const last = this.progressState.get(id)?.last;
    updateJob(this.ws.catalog, id, { state, ...(last ? { progress: last } : {}), ...extra });
    const job = getJob(this.ws.catalog, id);
    if (job?.runId) updateRun(this.ws.catalog, job.runId, { state, jobId: id });
  }

  private finish(id: string, outcome: TaskOutcome): void {
    const at = Date.now();
    if (outcome.stopped === 'paused') {
      this.setState(id, 'paused', { errors: outcome.errors });
      this.emit({ type: 'paused', jobId: id, at });
    } else if (outcome.stopped === 'cancelled') {
      this.setState(id, 'cancelled', { endedAt: at, position: null });
      this.emit({ type: 'cancelled', jobId: id, at });
    } else {
      this.setState(id, 'done', { endedAt: at, errors: outcome.errors ?? 0, result: outcome.result ?? null });
      this.emit({ type: 'done', jobId: id, at, errors: outcome.errors ?? 0, ...(outcome.result ? { result: outcome.result } : {}) });
    }
    this.progressState.delete(id);
    this.notifySettled(id);
  }

  private fail(id: string, error: unknown): void {
    const wire: WireError = error && typeof error === 'object' && 'code' in error ? (error as WireError) : { code: 'INTERNAL', message: String(error) };
    const e = error instanceof AppError ? error.toWire() : wire;
    this.setState(id, 'failed', { endedAt: Date.now(), error: e });
    this.progressState.delete(id);
    this.emit({ type: 'failed', jobId: id, at: Date.now(), code: e.code, message: e.message });
    this.notifySettled(id);
  }

  private interrupt(id: string, reason: string): void {
    this.setState(id, 'interrupted', { endedAt: Date.now(), position: null, error: { code: 'ENGINE_CRASHED', message: reason } });
    this.progressState.delete(id);
    this.emit({ type: 'interrupted', jobId: id, at: Date.now(), reason });
    this.notifySettled(id);
  }

  private notifySettled(id: string): void {
    const waiters = this.settleWaiters.get(id);
    if (!waiters) return;
    this.settleWaiters.delete(id);
    this.throttle.flush(id);
    const job = this.get(id);
    for (const w of waiters) w(job);
  }

  private emit(event: JobEvent): void {
    this.throttle.push(event);
  }

  private deliver(event: JobEvent): void {
    this.hub.publish(event);
  }
}
