// The threaded wasm binary in Node (src/engine/wasm-threads.ts), started in child processes
// because a tfjs backend starts once per process.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { defaultWasmThreads, wasmThreadsWanted } from './wasm-threads.js';

const child = fileURLToPath(new URL('../../dist/src/engine/testing/wasm-threads-child.js', import.meta.url));

interface ChildResult {
  threads: number;
  note: string | null;
  backend: string;
  loss: number;
  dx: number[];
  dw: number[];
  dxSum: number;
  dwSum: number;
  leaked: number;
}

/**
 * Runs the child with GAN_STUDIO_WASM_THREADS=threads (null: unset, the engine's default rule);
 * rejects if it does not exit on its own.
 */
function runChild(threads: string | null): Promise<ChildResult> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'GAN_STUDIO_WASM_THREADS'));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [child],
      { env: threads === null ? env : { ...env, GAN_STUDIO_WASM_THREADS: threads }, timeout: 90_000, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`child failed or hung (${error.message}): ${stderr.slice(-500)}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult);
      },
    );
  });
}

function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(expected[i]!)));
}

describe('threaded wasm in Node', () => {
  it('reads GAN_STUDIO_WASM_THREADS: junk and 1 mean one thread; unset, the core count (up to 4)', () => {
    expect(wasmThreadsWanted({}, 1)).toBe(1);
    expect(wasmThreadsWanted({}, 2)).toBe(2);
    expect(wasmThreadsWanted({ GAN_STUDIO_WASM_THREADS: '' }, 16)).toBe(4);
    expect(defaultWasmThreads(8)).toBe(4);
    expect(wasmThreadsWanted({ GAN_STUDIO_WASM_THREADS: '1' }, 16)).toBe(1);
    expect(wasmThreadsWanted({ GAN_STUDIO_WASM_THREADS: 'many' })).toBe(1);
    expect(wasmThreadsWanted({ GAN_STUDIO_WASM_THREADS: '0' })).toBe(1);
    expect(wasmThreadsWanted({ GAN_STUDIO_WASM_THREADS: '2' })).toBe(2);
    expect(wasmThreadsWanted({ GAN_STUDIO_WASM_THREADS: ' 3 ' })).toBe(3);
  });

  it('starts 2 threads, trains a conv to the single-threaded numbers, leaks nothing and lets the process exit', async () => {
    const [single, threaded] = await Promise.all([runChild('1'), runChild('2')]);
    expect(single).toMatchObject({ threads: 1, backend: 'wasm', leaked: 0 });
    expect(threaded).toMatchObject({ threads: 2, backend: 'wasm', note: null, leaked: 0 });
    expect(Number.isFinite(threaded.loss) && threaded.loss > 0).toBe(true);
    expect(threaded.dxSum).toBeGreaterThan(0);
    expect(threaded.dwSum).toBeGreaterThan(0);
    expectClose([threaded.loss, threaded.dxSum, threaded.dwSum], [single.loss, single.dxSum, single.dwSum]);
    expectClose(threaded.dx, single.dx);
    expectClose(threaded.dw, single.dw);
  }, 120_000);

  it('starts the default thread count when the variable is unset, and the process still exits by itself', async () => {
    const unset = await runChild(null);
    expect(unset).toMatchObject({ threads: defaultWasmThreads(availableParallelism()), backend: 'wasm', note: null, leaked: 0 });
    expect(Number.isFinite(unset.loss) && unset.loss > 0).toBe(true);
  }, 120_000);
});
