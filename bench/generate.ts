// Generation throughput: images/s of the trained-generator forward pass (what `gan-studio
// generate` runs before encoding PNGs) for DCGAN-32, DCGAN-64 and the classic MLP GAN, batch 64,
// `default` presets (EMA weights swapped in, as generate does). Prints one JSON line.
//   node dist/bench/generate.js [--quick] [--backend=wasm]
import { initTf } from '../src/engine/backends.js';
import '../src/models/index.js';
import { getFamily } from '../src/models/registry.js';
import { TrainSpec } from '../src/contract/runs.js';
import { stepRandom } from '../src/models/step-random.js';
import { isGeneratorModel, latentsForSeeds } from '../src/models/common/generator-model.js';
import type { BackendPref } from '../src/contract/system.js';
import { flag, medianMs, round } from './common.js';

const quick = process.argv.includes('--quick');
const BATCH = 64;
const { chosen } = await initTf((flag('backend') ?? 'wasm') as BackendPref);

async function measure(model: 'dcgan' | 'vanilla', size: number, reps: number) {
  const family = getFamily(model);
  const spec = family.resolve(TrainSpec.parse({ task: 'generate', model, preset: 'default', size, channels: model === 'dcgan' ? 3 : 1 }));
  const gan = family.create(spec, stepRandom(0));
  if (!isGeneratorModel(gan)) throw new Error(`${model} is not a generator`);
  const z = latentsForSeeds(0, BATCH, gan.latentSize);
  const once = async () => {
    const images = gan.generate(z);
    await images.data();
    images.dispose();
  };
  const ms = await medianMs(once, reps);
  gan.dispose();
  z.dispose();
  return { model, size, channels: spec.channels, batch: BATCH, batch_ms: round(ms), images_per_s: round((BATCH * 1000) / ms, 1), ema: spec.ema === true };
}

const results = [];
for (const [model, size] of [['dcgan', 32], ['dcgan', 64], ['vanilla', 28]] as const) {
  try {
    results.push(await measure(model, size, quick ? 3 : 10));
  } catch (error) {
    results.push({ model, size, error: error instanceof Error ? error.message : String(error) });
  }
  console.error(JSON.stringify(results[results.length - 1]));
}
console.log(JSON.stringify({ backend: chosen, results }));
