// `gan-studio worker`: serves a batch queue on Redis from this machine, headless (no Electron,
// no workspace). Ctrl-C or SIGTERM lets the items in hand finish, then stops.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { BackendPref } from '../../contract/system.js';
import { UsageError, intOpt, stringOpt, type Command } from '../command.js';
import { DEFAULT_LOCK_MS, runWorker } from '../../jobs/queue/worker.js';

function defaultCacheDir(): string {
  return join(process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'gan-studio', 'worker');
}

export const workerCommand: Command = {
  name: 'worker',
  summary: 'Run batch items from a Redis queue (other machines send batches with --queue)',
  usage: 'gan-studio worker --redis redis://[user:password@]HOST:PORT [--concurrency N] [--backend auto|cuda|webgpu|tensorflow|wasm|cpu] [--cache DIR] [--lock-ms N]',
  options: {
    'redis': { type: 'string' },
    'concurrency': { type: 'string' },
    'backend': { type: 'string' },
    'cache': { type: 'string' },
    'lock-ms': { type: 'string' },
  },
  async run({ values, io, json, signal }) {
    const url = stringOpt(values, 'redis');
    if (!url) throw new UsageError('--redis is required: the queue the batches are sent to (redis://HOST:PORT, or rediss://… with TLS)');
    const concurrency = intOpt(values, 'concurrency') ?? 1;
    if (concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency must be 1–64, got ${concurrency}`);
    const backend = BackendPref.safeParse(stringOpt(values, 'backend') ?? 'auto');
    if (!backend.success) throw new UsageError(`--backend must be one of ${BackendPref.options.join('|')}`);
    const lockMs = intOpt(values, 'lock-ms') ?? DEFAULT_LOCK_MS;
    if (lockMs < 1000) throw new UsageError('--lock-ms must be at least 1000');
    const stop = new AbortController();
    signal.addEventListener('abort', () => stop.abort(), { once: true });
    const onTerm = () => stop.abort();
    process.once('SIGTERM', onTerm);
    try {
      const { processed } = await runWorker({
        url, concurrency, backend: backend.data, lockMs, signal: stop.signal,
        cacheDir: resolve(stringOpt(values, 'cache') ?? defaultCacheDir()),
        log: (line) => {
          if (json) return io.out(line);
          const e = JSON.parse(line) as Record<string, unknown>;
          if (e['event'] === 'ready') io.out(`worker ${String(e['worker'])} serving ${String(e['queue'])} (concurrency ${String(e['concurrency'])}, backend ${String(e['backend'])}); Ctrl-C stops it`);
          else if (e['event'] === 'item') io.out(`batch ${String(e['batch'])} item ${String(e['seq'])}: ${String(e['outcome'])}`);
          else if (e['event'] === 'error') io.err(`queue: ${String(e['message'])}`);
        },
      });
      if (!json) io.out(`stopped after ${processed} item${processed === 1 ? '' : 's'}`);
      return 0;
    } finally {
      process.off('SIGTERM', onTerm);
    }
  },
};
