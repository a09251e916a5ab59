/// <reference types="@webgpu/types" />
// The compiled WebGPU training step (src/engine/webgpu-compiled/) against the tfjs-webgpu path,
// per family: dispatches per step (load-independent), host ms to encode + submit one step, and
// how closely its losses follow the tfjs path's from one seed. Runs on any WebGPU adapter,
// Mesa llvmpipe included (there queue.submit runs the shaders on the CPU before returning, so
// only `encode_ms_per_step` is the host cost a GPU would see). Prints one JSON line.
//   node dist/bench/webgpu-compiled.js [--quick] [--families vanilla,dcgan,dcgan-small]
import * as tf from '@tensorflow/tfjs';
import { initTf } from '../src/engine/backends.js';
import { installedAdapter } from '../src/engine/webgpu-setup.js';
import '../src/models/index.js';
import { getFamily } from '../src/models/registry.js';
import { TrainSpec, type TrainSpecInput } from '../src/contract/runs.js';
import type { GanModel } from '../src/models/types.js';
import { stepRandom } from '../src/models/step-random.js';
import { compileGanStep } from '../src/engine/webgpu-compiled/index.js';
import { flag, median, round } from './common.js';

const quick = process.argv.includes('--quick');
const { chosen } = await initTf('webgpu', { probeSeconds: 0 });
if (chosen !== 'webgpu') {
  console.log(JSON.stringify({ error: `no WebGPU adapter (backend ${chosen})` }));
  process.exit(1);
}
const device = (tf.backend() as unknown as { device: GPUDevice }).device;

/** `key` names the row (and --families picks by it); `family` is the model family it trains. */
const FAMILIES: Array<{ key: string; family: string; title: string; over: Partial<TrainSpecInput> }> = [
  { key: 'vanilla', family: 'vanilla', title: 'classic GAN (default preset: 28²×1, z 100, 128/256)', over: { preset: 'default' } },
  { key: 'dcgan', family: 'dcgan', title: 'DCGAN-32 (default preset = the reference network)', over: { preset: 'default', size: 32, channels: 3 } },
  { key: 'dcgan-small', family: 'dcgan', title: 'DCGAN small (32²×3, DiffAugment: colour, translation, cutout)', over: { preset: 'small', size: 32, channels: 3, diffAugment: true } },
];
const only = flag('families')?.split(',');
const started = performance.now();
const progress = (what: string) => console.error(`  [${((performance.now() - started) / 1000).toFixed(0)} s] ${what}`);
/** batch of the agreement runs: the tfjs path on a software rasteriser is slow at 64 */
const AGREE_BATCH = 8;
const AGREE_STEPS = quick ? 3 : 10;
const HOST_STEPS = quick ? 3 : 10;

function build(family: string, over: Partial<TrainSpecInput>): GanModel {
  const fam = getFamily(family);
  const spec = fam.resolve(TrainSpec.parse({ task: 'generate', model: family, seed: 11, diffAugment: false, ...over }));
  return fam.create(spec, stepRandom(spec.seed));
}

const batchAt = (m: GanModel, step: number) => ({
  real: tf.randomUniform([m.spec.batch, m.spec.size, m.spec.size, m.spec.channels], -1, 1, 'float32', 1000 + step) as tf.Tensor4D,
});

async function losses(m: GanModel, steps: number, run: (b: { real: tf.Tensor4D }, s: number) => Record<string, tf.Scalar>): Promise<number[]> {
  const out: number[] = [];
  for (let s = 0; s < steps; s++) {
    const batch = batchAt(m, s);
    const scalars = run(batch, s);
    batch.real.dispose();
    for (const name of ['loss/G', 'loss/D']) out.push((await scalars[name]!.data())[0]!);
    tf.dispose(Object.values(scalars));
  }
  return out;
}

const results: Array<Record<string, unknown>> = [];
for (const { key, family, title, over } of FAMILIES.filter((f) => !only || only.includes(f.key))) {
  const row: Record<string, unknown> = { family: key, title };
  try {
    // the reference batch: plan, dispatch count and host time per step
    const model = build(family, over);
    const compiled = await compileGanStep(model, stepRandom(model.spec.seed));
    row.batch = model.spec.batch;
    row.dispatches_per_step = compiled.dispatchesPerStep;
    row.arena_mb = round(compiled.arenaBytes / 2 ** 20);
    progress(`${key}: planned, ${compiled.dispatchesPerStep} dispatches`);
    const batch = batchAt(model, 0);
    // a software adapter runs the shaders inside queue.submit: time the recording alone there
    const software = installedAdapter()?.software ?? false;
    const host: number[] = [];
    const encode: number[] = [];
    const submit: number[] = [];
    for (let s = 0; s <= HOST_STEPS; s++) {
      compiled.encodeAndSubmit(batch, s, software);
      if (!software) await device.queue.onSubmittedWorkDone();
      if (s === 0) continue; // the first step compiles the shaders
      encode.push(compiled.lastHostMs.encode);
      submit.push(compiled.lastHostMs.submit);
      host.push(compiled.lastHostMs.encode + compiled.lastHostMs.submit);
    }
    progress(`${key}: ${HOST_STEPS + 1} compiled steps at batch ${model.spec.batch}${software ? ' (recorded, not submitted)' : ''}`);
    row.host_ms_per_step = round(median(host), 3);
    row.encode_ms_per_step = round(median(encode), 3);
    row.submit_ms_per_step = software ? null : round(median(submit), 3);
    row.host_ms_measured = software ? 'recording only (software adapter: its submit runs the shaders on the CPU)' : 'record + submit';
    batch.real.dispose();
    compiled.dispose();
    model.dispose();

    // agreement with the tfjs path at a small batch, from one seed; and tfjs's kernel count
    const small = { ...over, batch: AGREE_BATCH };
    const reference = build(family, small);
    const profiled = await tf.profile(() => {
      const b = batchAt(reference, 0);
      tf.dispose(Object.values(reference.trainStep(b, 0)));
      b.real.dispose();
    });
    row.tfjs_kernels_per_step = profiled.kernels.length;
    progress(`${key}: tfjs step profiled`);
    reference.dispose();
    const a = build(family, small);
    const b = build(family, small);
    const expected = await losses(a, AGREE_STEPS, (x, s) => a.trainStep(x, s));
    progress(`${key}: ${AGREE_STEPS} tfjs steps`);
    const step = await compileGanStep(b, stepRandom(b.spec.seed));
    const got = await losses(b, AGREE_STEPS, (x, s) => step.trainStep(x, s));
    step.dispose();
    a.dispose();
    b.dispose();
    row.agreement = { batch: AGREE_BATCH, steps: AGREE_STEPS };
    row.max_loss_rel_diff = Number(Math.max(...got.map((v, i) => Math.abs(v - expected[i]!) / Math.max(Math.abs(expected[i]!), 1e-3))).toExponential(2));
  } catch (error) {
    row.error = error instanceof Error ? error.message : String(error);
  }
  results.push(row);
  console.error(JSON.stringify(row));
}

console.log(JSON.stringify({
  backend: chosen, adapter: installedAdapter()?.description ?? null, software_adapter: installedAdapter()?.software ?? null,
  host_steps: HOST_STEPS, results,
}));
