// Entry of the engine process: `child_process.fork` under the CLI and the server, Electron's
// utilityProcess in the app. All tfjs work happens here, never in the UI/host process.
import { EngineRuntime } from './engine-runtime.js';
import type { EngineMessage, HostMessage } from './protocol.js';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

let post: (message: EngineMessage) => void;
let onMessage: (listener: (message: unknown) => void) => void;
if (parentPort) {
  post = (message) => parentPort.postMessage(message);
  onMessage = (listener) => parentPort.on('message', (e) => listener(e.data));
} else if (process.send) {
  post = (message) => {
    if (process.connected) process.send?.(message, undefined, undefined, () => {}); // errors after the host left are moot
  };
  onMessage = (listener) => void process.on('message', listener);
} else {
  console.error('gan-studio engine: start me through the app or the CLI (no IPC channel)');
  process.exit(2);
}

const runtime = new EngineRuntime((message) => post(message));

// Ctrl-C in a terminal reaches the whole process group. The host decides what an interrupt
// means (it cancels the job, which checkpoints first), so the engine must not die on it.
process.on('SIGINT', () => {});

onMessage((message) => {
  const msg = message as HostMessage;
  if (msg.type === 'shutdown') {
    void runtime.stopAll('pause').finally(() => process.exit(0));
    return;
  }
  runtime.handle(msg);
});

// The host went away (crashed or quit without asking): checkpoint what runs, then leave, so no
// orphaned engine keeps a run locked.
process.on('disconnect', () => {
  const deadline = setTimeout(() => process.exit(1), 60_000);
  deadline.unref();
  void runtime.stopAll('pause').finally(() => process.exit(0));
});

post({ type: 'ready', pid: process.pid });
