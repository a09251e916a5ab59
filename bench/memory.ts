// Memory over long runs: trains DCGAN-32 and CycleGAN (tiny, and small in full runs) for N steps
// and samples tf.memory() (live tensors and their bytes), the wasm heap and process RSS every K
// steps. A leak shows as numTensors or tensor bytes that keep growing. CycleGAN's fake-image
// pools legitimately grow until full (pool size ÷ batch steps), so the verdict reads only the
// samples after that.
// Prints one JSON line.   node dist/bench/memory.js [--quick] [--backend=wasm] [--case small]
import * as tf from '@tensorflow/tfjs';
import { initTf } from '../src/engine/backends.js';
import '../src/models/index.js';
import { getFamily } from '../src/models/registry.js';
import { TrainSpec } from '../src/contract/runs.js';
import { stepRandom } from '../src/models/step-random.js';
import type { BackendPref } from '../src/contract/system.js';
import type { TrainBatch } from '../src/models/types.js';
import { flag, memorySample, processRss, round, syncedStep, type MemorySample } from './common.js';

const quick = process.argv.includes('--quick');
const { chosen } = await initTf((flag('backend') ?? 'wasm') as BackendPref);

interface Case {
  name: string;
  spec: TrainSpec;
  batch: (spec: { batch: number; size: number; channels: number }) => TrainBatch;
  steps: number;
  every: number;
}

const images = (n: number, size: number, channels: number) => tf.randomUniform([n, size, size, channels], -1, 1) as tf.Tensor4D;

/** first / last / max of one figure over the samples */
function spread(samples: MemorySample[], key: 'numTensors' | 'tensorMB' | 'rssMB' | 'wasmHeapMB') {
  const xs = samples.map((s) => s[key]).filter((x): x is number => typeof x === 'number');
  return xs.length ? { first: xs[0]!, last: xs[xs.length - 1]!, max: Math.max(...xs) } : null;
}

async function run(c: Case) {
  const family = getFamily(c.spec.model);
  const spec = family.resolve(TrainSpec.parse(c.spec));
  const model = family.create(spec, stepRandom(0));
  const batch = c.batch(spec);
  const samples: MemorySample[] = [];
  const t0 = performance.now();
  for (let step = 0; step < c.steps; step++) {
    await syncedStep(model, batch, step);
    // the first step builds optimizer slots and kernel scratch: sampling starts after it
    if (step > 0 && (step % c.every === 0 || step === c.steps - 1)) samples.push(memorySample(step));
  }
  const seconds = (performance.now() - t0) / 1000;
  model.dispose();
  tf.dispose(Object.values(batch));
  // each pool takes `batch` fakes a step until it holds poolSize of them
  const poolFullAt = spec.extra.poolSize ? Math.ceil(Number(spec.extra.poolSize) / spec.batch) : 0;
  const steady = samples.filter((s) => s.step > poolFullAt);
  const flatTensors = steady.every((s) => s.numTensors === steady[0]!.numTensors);
  const flatBytes = steady.every((s) => Math.abs(s.tensorMB - steady[0]!.tensorMB) < 0.01);
  const lastChange = samples.reduce((at, s, i) => (i > 0 && s.numTensors !== samples[i - 1]!.numTensors ? s.step : at), samples[0]?.step ?? 0);
  const rss = spread(samples, 'rssMB');
  return {
    name: c.name, preset: spec.preset, size: spec.size, batch: spec.batch, steps: c.steps, every: c.every, seconds: round(seconds),
    tensors: spread(samples, 'numTensors'), tensor_mb: spread(samples, 'tensorMB'), rss_mb: rss, wasm_heap_mb: spread(samples, 'wasmHeapMB'),
    tensors_last_changed_at_step: lastChange, steady_from_step: poolFullAt + 1,
    rss_growth_mb_per_100_steps: rss && samples.length > 1 ? round((100 * (rss.last - rss.first)) / (samples[samples.length - 1]!.step - samples[0]!.step)) : null,
    verdict: steady.length < 3 ? 'too short' : flatTensors && flatBytes ? 'flat' : 'GROWING',
    samples,
  };
}

const dcgan = (n: number) => ({ real: images(n, 32, 3) });
const unpaired = (s: { batch: number; size: number }) => ({ a: images(s.batch, s.size, 3), b: images(s.batch, s.size, 3) });
// DCGAN-32 is the reference network; batch 8 (not 64) buys 8× the steps in the same time, and
// a leak is per step, not per image. CycleGAN small's pools (50) fill at step 13 of batch 4.
const cases: Case[] = [
  { name: 'DCGAN-32', spec: { task: 'generate', model: 'dcgan', preset: 'default', size: 32, channels: 3, batch: 8 } as TrainSpec, batch: (s) => dcgan(s.batch), steps: quick ? 12 : 60, every: quick ? 3 : 6 },
  { name: 'CycleGAN tiny', spec: { task: 'cyclegan', model: 'cyclegan', preset: 'tiny' } as TrainSpec, batch: unpaired, steps: quick ? 12 : 60, every: quick ? 3 : 6 },
];
if (!quick) cases.push({ name: 'CycleGAN-64 small', spec: { task: 'cyclegan', model: 'cyclegan', preset: 'small', size: 64 } as TrainSpec, batch: unpaired, steps: 24, every: 2 });

// --case picks the runs whose name contains it (e.g. "small"), for checking one case alone
const pick = flag('case')?.toLowerCase();
const results = [];
for (const c of cases.filter((x) => !pick || x.name.toLowerCase().includes(pick))) {
  try {
    const r = await run(c);
    results.push(r);
    console.error(JSON.stringify({ ...r, samples: undefined }));
  } catch (error) {
    results.push({ name: c.name, error: error instanceof Error ? error.message : String(error) });
  }
}
console.log(JSON.stringify({ backend: chosen, peak_rss_mb: processRss().peakRssMB, results }));
