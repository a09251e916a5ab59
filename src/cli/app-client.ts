// What the CLI's thin clients share: open the app, call a method through `invoke` (the same
// validation and errors as every transport), print tables or JSON, and wait on a job with a
// progress line, Ctrl-C cancelling it.
import { invoke, type Input, type MethodName, type Output } from '../contract/api.js';
import { fromWireError } from '../contract/errors.js';
import type { JobSummary } from '../contract/jobs.js';
import type { CommandContext } from './command.js';
import { createApp, type App } from '../handlers/context.js';

export async function withApp<T>(ctx: CommandContext, fn: (app: App) => Promise<T>): Promise<T> {
  const app = await createApp({ workspace: ctx.workspace, transport: 'cli' });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

export async function call<M extends MethodName>(app: App, method: M, input: Input<M>): Promise<Output<M>> {
  const r = await invoke(app.handlers, method, input);
  if (!r.ok) throw fromWireError(r.error);
  return r.value as Output<M>;
}

export function table(rows: Array<Record<string, unknown>>, columns: string[]): string[] {
  if (!rows.length) return ['(none)'];
  const cells = rows.map((r) => columns.map((c) => String(r[c] ?? '')));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...cells.map(line)];
}

export function print(ctx: CommandContext, value: unknown, lines: () => string[]): void {
  if (ctx.json) ctx.io.out(JSON.stringify(value));
  else for (const l of lines()) ctx.io.out(l);
}

/** Waits for a job, printing progress; Ctrl-C (the command's signal) cancels it. */
export async function waitForJob(ctx: CommandContext, app: App, jobId: string): Promise<JobSummary> {
  let last = '';
  const unsubscribe = app.events.subscribe((e) => {
    if (e.jobId !== jobId) return;
    if (ctx.json) return ctx.io.out(JSON.stringify(e));
    if (e.type === 'progress') {
      const p = e.progress;
      const eta = p.eta === null ? '' : `, about ${Math.ceil(p.eta)} s left`;
      const text = `${p.done} of ${p.total} ${p.unit}s${eta}`;
      if (text !== last && ctx.io.tty) process.stderr.write(`\r${text}   `);
      last = text;
    } else if (e.type === 'log' && e.level !== 'info') {
      ctx.io.err(`${e.level}: ${e.message}`);
    }
  });
  const onAbort = () => {
    try {
      app.jobs.cancel(jobId);
    } catch {
      // already ended
    }
  };
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const job = await app.jobs.settled(jobId);
    if (ctx.io.tty && last) process.stderr.write('\n');
    return job;
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    unsubscribe();
  }
}
