// The engine runs in an Electron utilityProcess: a Node process that needs neither the
// RunAsNode fuse (off) nor ELECTRON_RUN_AS_NODE, and that Electron watches and kills with the app.
import type { UtilityProcess } from 'electron';
import type { ProcessLike, SpawnEngine } from '../src/index.js';

export function utilityProcessSpawner(fork: (modulePath: string, args?: string[], options?: Electron.ForkOptions) => UtilityProcess): SpawnEngine {
  return (entry: string): ProcessLike => {
    const child = fork(entry, [], {
      serviceName: 'GAN Studio engine',
      stdio: 'pipe',
      env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: process.env.TF_CPP_MIN_LOG_LEVEL ?? '2' },
    });
    return {
      get pid() {
        return child.pid;
      },
      postMessage: (message: unknown) => child.postMessage(message),
      on(event: 'message' | 'exit', listener: (...args: unknown[]) => void) {
        // utilityProcess reports an exit code only; a kill shows up as a non-zero code
        if (event === 'exit') child.on('exit', (code) => listener(code, null));
        else child.on('message', (message) => listener(message));
        return this;
      },
      kill: () => child.kill(),
      stdout: child.stdout,
      stderr: child.stderr,
    };
  };
}
