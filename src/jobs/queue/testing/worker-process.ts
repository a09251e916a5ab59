// Tests: `gan-studio worker` as a real child process (so it can be killed with SIGKILL), its
// JSON event lines collected and awaitable.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// from the sources (tests) or from dist/src/… (the bench runs compiled code): the repo's bin/
const BIN = ['../../../../bin/gan-studio.js', '../../../../../bin/gan-studio.js'].map((p) => fileURLToPath(new URL(p, import.meta.url))).find((p) => existsSync(p))!;

export interface WorkerEvent {
  event: string;
  batch?: string;
  seq?: number;
  outcome?: string;
  worker?: string;
  message?: string;
}

export interface TestWorker {
  proc: ChildProcess;
  events: WorkerEvent[];
  /** resolves with the first event (already seen or to come) that matches */
  waitFor(match: (e: WorkerEvent) => boolean, timeoutMs?: number): Promise<WorkerEvent>;
  output(): string;
  stop(): Promise<void>;
}

export function startTestWorker(url: string, extra: string[] = []): TestWorker {
  const proc = spawn(process.execPath, [BIN, 'worker', '--redis', url, '--json', '--backend', 'wasm', ...extra], {
    env: { ...process.env, GAN_STUDIO_BACKEND_CACHE: 'off', GAN_STUDIO_WASM_THREADS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: WorkerEvent[] = [];
  const waiters: Array<{ match: (e: WorkerEvent) => boolean; resolve: (e: WorkerEvent) => void }> = [];
  let text = '';
  let buffer = '';
  proc.stdout!.on('data', (d: Buffer) => {
    text += d.toString();
    buffer += d.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      let e: WorkerEvent;
      try {
        e = JSON.parse(line) as WorkerEvent;
      } catch {
        continue;
      }
      events.push(e);
      for (const w of [...waiters]) {
        if (!w.match(e)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
    }
  });
  proc.stderr!.on('data', (d: Buffer) => void (text += d.toString()));
  return {
    proc,
    events,
    output: () => text,
    waitFor(match, timeoutMs = 90_000) {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker event not seen within ${timeoutMs} ms; output:\n${text.slice(-3000)}`)), timeoutMs);
        waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
      });
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
