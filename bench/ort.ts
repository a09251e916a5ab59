// ONNX Runtime (CPU provider) against tfjs-wasm on the same networks, same input, same tiled path
// (#24): our ESRGAN (`small` and `default` generator shapes, ×2, untrained weights — speed does
// not depend on them), the shipped UpscalerJS ESRGANs converted by our exporter, and CycleGAN
// inference (`small` generator). Each contender's best of alternated repetitions, in output
// megapixels/s, with the largest pixel difference between the two outputs (equal output: ≤ 1).
// The geometric mean of the ratios decides which engine runs our networks on this machine
// (src/engine/inference-engine.ts records it; a busy run is recorded but decides nothing).
//   node dist/bench/ort.js [--quick] [--size 256] [--threads N]
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { silentReporter } from '../src/common/reporter.js';
import { TrainSpec } from '../src/contract/runs.js';
import { writeInferenceBenchRecord } from '../src/engine/inference-engine.js';
import { onnxRuntimeProviders } from '../src/engine/onnx-runtime.js';
import { ensureBackend } from '../src/jobs/engine-backend.js';
import { routedStylizer, routedUpscaler } from '../src/inference/onnx-predictors.js';
import type { Stylizer, Upscaler } from '../src/inference/predictors.js';
import { stylizeImage } from '../src/inference/stylize.js';
import { pretrainedUpscaler, upscaleImage } from '../src/inference/upscale.js';
import type { RawImage } from '../src/data/image-io.js';
import { getFamily } from '../src/models/index.js';
import type { CycleGanModel } from '../src/models/cyclegan/model.js';
import { stepRandom } from '../src/models/step-random.js';
import { FOREIGN_CORES_LIMIT, meterForeignCpu } from './load-gate.js';
import { round } from './common.js';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, size: { type: 'string' }, threads: { type: 'string' } } });
const quick = values.quick === true;
const size = Number(values.size ?? (quick ? 64 : 256));
const repetitions = quick ? 2 : 3;
if (values.threads) process.env.GAN_STUDIO_ORT_THREADS = values.threads;
const ctx = { signal: new AbortController().signal, report: silentReporter };

function testImage(): RawImage {
  const data = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) for (let c = 0; c < 3; c++) {
    data[(y * size + x) * 3 + c] = Math.round(128 + 60 * Math.sin(x / (5 + c)) * Math.cos(y / 7) + ((x * 31 + y * 17 + c * 7) % 23) - 11);
  }
  return { data, width: size, height: size, channels: 3 };
}

/** Routes a freshly made tfjs predictor to ONNX Runtime (the engine choice forced for this call). */
async function onOrt<T>(make: () => Promise<T>): Promise<T> {
  process.env.GAN_STUDIO_INFERENCE = 'ort';
  try {
    return await make();
  } finally {
    delete process.env.GAN_STUDIO_INFERENCE;
  }
}

async function best(run: () => Promise<RawImage>): Promise<{ seconds: number; out: RawImage }> {
  const t0 = performance.now();
  const out = await run();
  return { seconds: (performance.now() - t0) / 1000, out };
}

function maxDiff(a: RawImage, b: RawImage): number {
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return m;
}

/** Warm-up each, then alternate; each contender keeps its best time. */
async function race(name: string, outMp: number, tfjsRun: () => Promise<RawImage>, ortRun: () => Promise<RawImage>) {
  await tfjsRun();
  await ortRun();
  let t = Infinity;
  let o = Infinity;
  let outs: [RawImage, RawImage] | null = null;
  for (let rep = 0; rep < repetitions; rep++) {
    const a = await best(tfjsRun);
    const b = await best(ortRun);
    t = Math.min(t, a.seconds);
    o = Math.min(o, b.seconds);
    outs = [a.out, b.out];
  }
  const row = { network: name, inputPx: `${size}×${size}`, outputMp: round(outMp, 3), tfjsMpPerS: round(outMp / t, 3), ortMpPerS: round(outMp / o, 3), ortOverTfjs: round(t / o, 2), maxPixelDiff: maxDiff(...outs!) };
  console.error(JSON.stringify(row));
  return row;
}

async function srRow(name: string, tfjsUp: Upscaler, ortUp: Upscaler) {
  const img = testImage();
  // whole image in one tile on both engines: the comparison is the network, not the tiler
  const run = (u: Upscaler) => () => upscaleImage(u, img, { tile: size }, ctx);
  try {
    return await race(name, (size * tfjsUp.scale) ** 2 / 1e6, run(tfjsUp), run(ortUp));
  } finally {
    ortUp.dispose(); // disposes the tfjs network under it too
  }
}

function esrganNet(preset: 'small' | 'default'): { up: Upscaler; net: tf.LayersModel } {
  const family = getFamily('esrgan');
  const spec = family.resolve(TrainSpec.parse({ task: 'superres', model: 'esrgan', preset, scale: 2 }));
  const model = family.create(spec, stepRandom(1));
  const G = model.networks.G!;
  return {
    net: G,
    up: { id: `esrgan-${preset}`, scale: 2, inputRange: [-1, 1], outputRange: [-1, 1], channels: 3, predict: (x) => G.predict(x) as tf.Tensor4D, dispose: () => model.dispose() },
  };
}

async function main() {
  const meter = meterForeignCpu();
  const backend = await ensureBackend('wasm');
  const ort = await onnxRuntimeProviders();
  if (!ort.available) {
    console.log(JSON.stringify({ backend, ortAvailable: false, why: ort.error }));
    return;
  }
  const rows: Array<Record<string, unknown>> = [];
  const attempt = async (name: string, fn: () => Promise<Record<string, unknown>>) => {
    try {
      rows.push(await fn());
    } catch (error) {
      rows.push({ network: name, error: (error as Error).message.split('\n')[0] });
    }
  };
  for (const preset of quick ? (['small'] as const) : (['small', 'default'] as const)) {
    await attempt(`esrgan-${preset}`, async () => {
      const { up, net } = esrganNet(preset);
      return srRow(`esrgan ${preset} ×2`, up, await onOrt(() => routedUpscaler(up, net)));
    });
  }
  for (const name of quick ? ['slim'] : ['slim', 'medium', 'thick']) {
    if (name === 'thick' && size > 128) continue; // ~35 s a pass at 256² on wasm: beyond this suite's budget
    await attempt(`esrgan-${name}`, async () => {
      const tfjsUp = await pretrainedUpscaler(`esrgan-${name}-x2`);
      const ortUp = await onOrt(() => pretrainedUpscaler(`esrgan-${name}-x2`));
      try {
        return await srRow(`esrgan-${name} ×2 (UpscalerJS)`, tfjsUp, ortUp);
      } finally {
        tfjsUp.dispose();
      }
    });
  }
  await attempt('cyclegan-small', async () => {
    const family = getFamily('cyclegan');
    const spec = family.resolve(TrainSpec.parse({ task: 'cyclegan', model: 'cyclegan', preset: 'small', size: 64 }));
    const model = family.create(spec, stepRandom(2)) as CycleGanModel;
    const base: Stylizer = { runDir: 'bench', model, channels: 3, bytesPerPixel: 16 * 4 * 6, checkpoint: 'bench' };
    const routed = await onOrt(() => routedStylizer(base, { a2b: model.networks.G_AB!, b2a: model.networks.G_BA! }));
    const img = testImage();
    const run = (s: Stylizer) => () => stylizeImage(s, img, { direction: 'a2b', memoryBudgetBytes: 2 ** 31 }, ctx);
    try {
      return await race('cyclegan small a2b', (size * size) / 1e6, run(base), run(routed));
    } finally {
      routed.model.dispose();
    }
  });
  const { foreignCores, ownCores } = meter();
  const busy = foreignCores !== null && foreignCores > FOREIGN_CORES_LIMIT;
  const ratios = Object.fromEntries(rows.filter((r) => typeof r.ortOverTfjs === 'number').map((r) => [String(r.network), r.ortOverTfjs as number]));
  // a quick run measures too little to decide anything: only a full run records the verdict
  const record = quick ? null : writeInferenceBenchRecord(ratios, busy);
  console.log(JSON.stringify({
    backend, ort: { version: ort.version, providers: ort.providers.map((p) => p.name), threads: process.env.GAN_STUDIO_ORT_THREADS ?? 'ORT default' },
    size, repetitions, results: rows, foreignCores, ownCores, busy, verdict: record ? { engine: record.engine, recorded: true } : { recorded: false },
  }));
}

await main();
