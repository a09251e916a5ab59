// CycleGAN throughput: training steps/s of the `small` preset at 64 px (what demo:cyclegan and a
// CPU user train), and 256×256 inference images/s of that generator (what stylize does per image).
// Prints one JSON line. Flags: --quick (fewer steps), --backend=NAME (default auto),
// --default (also time the paper-width `default` generator at 256², slow on a CPU),
// --batch=N (train at another batch than the preset's), --profile (one step's kernels, on stderr).
import { initTf } from '../src/engine/backends.js';
import type { BackendPref } from '../src/contract/system.js';
import { inferenceSpeed, trainSpeed } from './cyclegan-speed.js';

const quick = process.argv.includes('--quick');
const backendPref = (process.argv.find((a) => a.startsWith('--backend='))?.slice(10) ?? 'auto') as BackendPref;
const withDefault = process.argv.includes('--default');
const batchOverride = process.argv.find((a) => a.startsWith('--batch='))?.slice(8);
const profile = process.argv.includes('--profile');

const { chosen } = await initTf(backendPref);
const result: Record<string, unknown> = { backend: chosen };
try {
  result.train = await trainSpeed('small', 64, quick ? 3 : 10, { ...(batchOverride ? { batch: Number(batchOverride) } : {}), profile });
  console.error(JSON.stringify(result.train));
  result.inference = [await inferenceSpeed('small', 256, quick ? 3 : 10)];
  if (withDefault) (result.inference as unknown[]).push(await inferenceSpeed('default', 256, quick ? 1 : 3));
} catch (error) {
  result.error = error instanceof Error ? error.message : String(error);
}
console.log(JSON.stringify(result));
