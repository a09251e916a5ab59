// The host's handle on the engine process. Under Node it forks dist/src/jobs/engine-main.js;
// the Electron shell injects `spawnEngine` (utilityProcess) — anything process-like works:
// { pid, send|postMessage, on('message'), on('exit'), kill }. A crash is reported to the owner
// (the job manager), which marks the running job interrupted; the next job starts a new engine.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EngineRuntime } from './engine-runtime.js';
import { isEngineMessage, type EngineMessage, type HostMessage } from './protocol.js';

export interface ProcessLike {
  readonly pid?: number | undefined;
  send?(message: unknown): unknown;
  postMessage?(message: unknown): unknown;
  on(event: 'message' | 'exit', listener: (...args: unknown[]) => void): unknown;
  kill(signal?: NodeJS.Signals | number): unknown;
  stderr?: NodeJS.ReadableStream | null;
  stdout?: NodeJS.ReadableStream | null;
}

export type SpawnEngine = (entry: string) => ProcessLike;

export interface EngineExit {
  code: number | null;
  signal: string | null;
  /** the process ran out of memory (V8 heap or allocation failure) */
  outOfMemory: boolean;
  stderrTail: string;
}

/** dist/src/jobs/engine-main.js, also when this module runs from src/ (tests, tsx). */
export function engineEntry(): string {
  const here = fileURLToPath(new URL('./engine-main.js', import.meta.url));
  if (existsSync(here)) return here;
  const distPath = here.replace(/([\\/])src([\\/])jobs([\\/])engine-main\.js$/, '$1dist$1src$2jobs$3engine-main.js');
  return distPath;
}

export const forkEngine: SpawnEngine = (entry) =>
  fork(entry, [], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    execArgv: [],
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: process.env.TF_CPP_MIN_LOG_LEVEL ?? '2' },
    serialization: 'json',
  });

let processDefaultSpawner: SpawnEngine | null = null;

/**
 * Set once by the Electron shell (utilityProcess): every App in the process then uses it when
 * no spawnEngine is passed — including CLI subcommands run by the installed app binary, where
 * child_process.fork cannot work because the RunAsNode fuse is off.
 */
export function setDefaultSpawnEngine(spawn: SpawnEngine | null): void {
  processDefaultSpawner = spawn;
}

/** Runs the engine in this process (tests, or when forking is impossible). Same protocol. */
export const inlineEngine: SpawnEngine = () => {
  const listeners: Record<string, Array<(...args: unknown[]) => void>> = { message: [], exit: [] };
  let alive = true;
  const runtime = new EngineRuntime((message) => {
    if (alive) setImmediate(() => listeners.message!.forEach((l) => l(message)));
  });
  setImmediate(() => listeners.message!.forEach((l) => l({ type: 'ready', pid: process.pid })));
  return {
    pid: process.pid,
    send(message) {
      if (!alive) return;
      const msg = message as HostMessage;
      if (msg.type === 'shutdown') {
        void runtime.stopAll('pause').finally(() => {
          alive = false;
          listeners.exit!.forEach((l) => l(0, null));
        });
        return;
      }
      setImmediate(() => runtime.handle(msg));
    },
    on(event, listener) {
      listeners[event]!.push(listener);
    },
    kill() {
      if (!alive) return;
      void runtime.stopAll('cancel');
      alive = false;
      setImmediate(() => listeners.exit!.forEach((l) => l(null, 'SIGKILL')));
    },
  };
};

const OOM_PATTERN = /heap out of memory|Allocation failed|out of memory|Cannot allocate memory|std::bad_alloc/i;

export class EngineHost {
  private proc: ProcessLike | null = null;
  private stderrTail = '';
  private readonly spawnEngine: SpawnEngine;
  private readonly entry: string;
  private readonly exitWaiters = new Set<() => void>();
  /** settles once the last exit has been reported to the handlers (they run 20 ms after it) */
  private exitReported: Promise<void> = Promise.resolve();

  constructor(
    private readonly handlers: { onMessage: (message: EngineMessage) => void; onExit: (exit: EngineExit) => void },
    options: { spawnEngine?: SpawnEngine; entry?: string; log?: (chunk: string) => void } = {},
  ) {
    this.spawnEngine = options.spawnEngine ?? processDefaultSpawner ?? forkEngine;
    this.entry = options.entry ?? engineEntry();
    this.log = options.log ?? (() => {});
  }

  private readonly log: (chunk: string) => void;

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get running(): boolean {
    return this.proc !== null;
  }

  send(message: HostMessage): void {
    const proc = this.ensure();
    if (proc.send) proc.send(message);
    else if (proc.postMessage) proc.postMessage(message);
    else throw new Error('engine process has neither send() nor postMessage()');
  }

  /** Kills the engine now (the job manager marks its job interrupted). */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.proc?.kill(signal);
  }

  /** Asks the engine to checkpoint and quit; kills it after `timeoutMs`. */
  async shutdown(timeoutMs = 30_000): Promise<void> {
    const proc = this.proc;
    // an engine that just died may not have been reported yet: the caller closes the catalog
    // after this, and the report still has to mark its job
    if (!proc) return this.exitReported;
    const exited = new Promise<void>((resolve) => this.exitWaiters.add(resolve));
    try {
      if (proc.send) proc.send({ type: 'shutdown' });
      else proc.postMessage?.({ type: 'shutdown' });
    } catch {
      proc.kill('SIGKILL');
    }
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  private ensure(): ProcessLike {
    if (this.proc) return this.proc;
    const proc = this.spawnEngine(this.entry);
    this.proc = proc;
    this.stderrTail = '';
    const keepTail = (chunk: Buffer | string) => {
      const text = chunk.toString();
      this.log(text);
      this.stderrTail = (this.stderrTail + text).slice(-8192);
    };
    proc.stderr?.on('data', keepTail);
    proc.stdout?.on('data', (chunk: Buffer | string) => this.log(chunk.toString()));
    proc.on('message', (message) => {
      if (isEngineMessage(message)) this.handlers.onMessage(message);
    });
    proc.on('exit', (code, signal) => {
      if (this.proc === proc) this.proc = null;
      let reported!: () => void;
      this.exitReported = new Promise((resolve) => (reported = resolve));
      // let the stderr pipe drain so an OOM message is seen
      setTimeout(() => {
        const exit: EngineExit = {
          code: typeof code === 'number' ? code : null,
          signal: typeof signal === 'string' ? signal : null,
          outOfMemory: OOM_PATTERN.test(this.stderrTail),
          stderrTail: this.stderrTail,
        };
        try {
          this.handlers.onExit(exit);
        } finally {
          for (const waiter of this.exitWaiters) waiter();
          this.exitWaiters.clear();
          reported();
        }
      }, 20);
    });
    return proc;
  }
}
