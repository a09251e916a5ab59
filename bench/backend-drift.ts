/// <reference types="@webgpu/types" />
// How far tfjs's OWN backends drift apart when they train the same model from the same seed —
// the yardstick for the compiled WebGPU step's agreement (issue #19). Same initial weights
// (tfjs's seeded initialisers run in JS, whatever the backend), same batches, same noise; only
// the kernels' float rounding differs. Prints, per step, the relative loss differences of
// tfjs-webgpu vs tfjs-cpu, tfjs-wasm vs tfjs-cpu, and the compiled step vs tfjs-webgpu.
//   node dist/bench/backend-drift.js [--family dcgan] [--size 32] [--preset default] [--batch 8] [--steps 10]
import * as tf from '@tensorflow/tfjs';
import { initTf } from '../src/engine/backends.js';
import { prepareWasm } from '../src/engine/wasm-setup.js';
import '../src/models/index.js';
import { getFamily } from '../src/models/registry.js';
import { TrainSpec } from '../src/contract/runs.js';
import type { GanModel } from '../src/models/types.js';
import { stepRandom } from '../src/models/step-random.js';
import { compileGanStep } from '../src/engine/webgpu-compiled/index.js';
import { flag } from './common.js';

const family = flag('family') ?? 'dcgan';
const size = Number(flag('size') ?? 32);
const preset = (flag('preset') ?? 'default') as 'default' | 'tiny' | 'small';
const batch = Number(flag('batch') ?? 8);
const steps = Number(flag('steps') ?? 10);
const NAMES = ['loss/G', 'loss/D'] as const;

function build(): GanModel {
  const fam = getFamily(family);
  const spec = fam.resolve(TrainSpec.parse({ task: 'generate', model: family, preset, size, channels: 3, batch, seed: 11, diffAugment: false }));
  return fam.create(spec, stepRandom(spec.seed));
}
const batchAt = (m: GanModel, step: number) => ({
  real: tf.randomUniform([m.spec.batch, m.spec.size, m.spec.size, m.spec.channels], -1, 1, 'float32', 1000 + step) as tf.Tensor4D,
});

async function run(step: (m: GanModel) => Promise<(b: { real: tf.Tensor4D }, s: number) => Record<string, tf.Scalar>>): Promise<number[][]> {
  const m = build();
  const fn = await step(m);
  const out: number[][] = [];
  for (let s = 0; s < steps; s++) {
    const b = batchAt(m, s);
    const scalars = fn(b, s);
    b.real.dispose();
    const row: number[] = [];
    for (const n of NAMES) row.push((await scalars[n]!.data())[0]!);
    tf.dispose(Object.values(scalars));
    out.push(row);
  }
  m.dispose();
  return out;
}
const tfjsStep = async (m: GanModel) => (b: { real: tf.Tensor4D }, s: number) => m.trainStep(b, s);

const { chosen } = await initTf('webgpu', { probeSeconds: 0 });
if (chosen !== 'webgpu') throw new Error(`no WebGPU adapter (backend ${chosen})`);
const webgpu = await run(tfjsStep);
const compiled = await run(async (m) => {
  const c = await compileGanStep(m, stepRandom(m.spec.seed));
  return (b, s) => c.trainStep(b, s);
});
await tf.setBackend('cpu');
const cpu = await run(tfjsStep);
await prepareWasm();
await tf.setBackend('wasm');
const wasm = await run(tfjsStep);

const rel = (a: number[][], b: number[][], s: number) => Math.max(...a[s]!.map((x, j) => Math.abs(x - b[s]![j]!) / Math.max(Math.abs(b[s]![j]!), 1e-3)));
const table = Array.from({ length: steps }, (_, s) => ({
  step: s,
  webgpu_vs_cpu: Number(rel(webgpu, cpu, s).toExponential(2)),
  wasm_vs_cpu: Number(rel(wasm, cpu, s).toExponential(2)),
  compiled_vs_webgpu: Number(rel(compiled, webgpu, s).toExponential(2)),
  compiled_vs_cpu: Number(rel(compiled, cpu, s).toExponential(2)),
}));
for (const row of table) console.error(JSON.stringify(row));
console.log(JSON.stringify({ family, preset, size, batch, steps, table, losses: { webgpu, compiled, cpu, wasm } }));
