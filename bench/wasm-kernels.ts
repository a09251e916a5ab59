// Measures the wasm training kernels (src/engine/wasm-kernels) against the shipped wasm kernel and
// the cpu backend, then DCGAN-32 training throughput. Run: npm run build:node && node
// dist/bench/wasm-kernels.js [--quick] [--no-cpu] [--no-cpu-dcgan] [--cpu-time] [--profile]. Numbers and what
// bounds them: src/engine/README.md.
import * as tf from '@tensorflow/tfjs';
import { getKernel, registerKernel } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { prepareWasm } from '../src/engine/wasm-setup.js';
import { profileStep } from './common.js';

const quick = process.argv.includes('--quick');
const noCpu = process.argv.includes('--no-cpu');
// `npm run bench` passes this: its dcgan-train suite already times the cpu-backend DCGAN step
const noCpuDcgan = noCpu || process.argv.includes('--no-cpu-dcgan');

// Keep the shipped Conv2DBackpropInput reachable under another name before ours replaces it, so
// the two can be timed side by side (its setup runs when the wasm backend starts).
const shipped = getKernel('Conv2DBackpropInput', 'wasm');
if (shipped) registerKernel({ ...shipped, kernelName: 'ShippedConv2DBackpropInput' });

/** Process CPU time in ms: on a shared machine it tracks the work better than wall time. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Best-of-`reps` time of `fn` in ms after one warm-up, forcing results with dataSync. Best-of,
 * not median: on a loaded machine interference only ever adds time. Wall time by default; CPU
 * time with --cpu-time (wasm is single-threaded in Node, so the two agree on an idle machine).
 */
const clock = process.argv.includes('--cpu-time') ? cpuMs : (): number => performance.now();
function timeMs(fn: () => tf.Tensor, reps: number): number {
  // Not tf.tidy(() => fn().dataSync()): tidy walks a returned TypedArray element by element
  // looking for tensors, which cost seconds per call here and swamped the kernels being timed.
  const once = (): void => {
    const out = tf.tidy(fn);
    out.dataSync();
    out.dispose();
  };
  once();
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = clock();
    once();
    best = Math.min(best, clock() - t0);
  }
  return best;
}

interface Layer {
  name: string;
  x: [number, number, number, number]; // conv input (for a transposed conv: its output)
  cout: number;
}

// The DCGAN-32 conv layers at batch 64: D's three convs; G's transposed convs are the same
// kernels with the roles of the two sides swapped.
const layers: Layer[] = [
  { name: 'D conv1 32x32x3->64', x: [64, 32, 32, 3], cout: 64 },
  { name: 'D conv2 16x16x64->128', x: [64, 16, 16, 64], cout: 128 },
  { name: 'D conv3 8x8x128->256', x: [64, 8, 8, 128], cout: 256 },
];

function convFlops(l: Layer, batch: number): number {
  const [, h, w, cin] = l.x;
  return 2 * batch * (h / 2) * (w / 2) * l.cout * 16 * cin;
}

/** Every figure of the run, printed as one JSON line at the end for `npm run bench`. */
const summary: { kernels: Array<Record<string, string>>; dcgan: Record<string, number> } = { kernels: [], dcgan: {} };

async function kernelTable(): Promise<void> {
  console.log('\nConv2D backprop kernels, k4 s2 same (GFLOP/s; higher is better)');
  console.log('layer                      | fwd wasm | filter wasm | filter cpu | input wasm | input shipped | input cpu');
  for (const l of layers) {
    const row: string[] = [];
    const backends = [
      ['wasm', 64],
      ['cpu', quick ? 1 : 4],
    ] as const;
    for (const [backend, batch] of noCpu ? backends.slice(0, 1) : backends) {
      await tf.setBackend(backend);
      const shape: [number, number, number, number] = [batch, l.x[1], l.x[2], l.x[3]];
      const x = tf.randomNormal(shape) as tf.Tensor4D;
      const dy = tf.randomNormal([batch, l.x[1] / 2, l.x[2] / 2, l.cout]);
      const w = tf.randomNormal([4, 4, l.x[3], l.cout]) as tf.Tensor4D;
      const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC' };
      const engine = tf.engine();
      const flops = convFlops(l, batch);
      const reps = backend === 'wasm' ? 5 : 1;
      const gf = (ms: number): string => (flops / ms / 1e6).toFixed(backend === 'wasm' ? 1 : 3);
      const filt = timeMs(
        () => engine.runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: w.shape }) as tf.Tensor,
        reps,
      );
      const inp = timeMs(
        () => engine.runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: shape }) as tf.Tensor,
        reps,
      );
      row.push(gf(filt), gf(inp));
      if (backend === 'wasm') row.push(gf(timeMs(() => tf.conv2d(x, w, 2, 'same'), reps)));
      if (backend === 'wasm' && shipped) {
        const old = timeMs(
          () =>
            engine.runKernel('ShippedConv2DBackpropInput', { dy, filter: w }, {
              ...attrs,
              inputShape: shape,
            }) as tf.Tensor,
          2,
        );
        row.push(gf(old));
      }
      tf.dispose([x, dy, w]);
    }
    const [fw, iw, fwd, is, fc = '-', ic = '-'] = row;
    summary.kernels.push({
      layer: l.name, forward_wasm: fwd!, backprop_filter_wasm: fw!, backprop_filter_cpu: fc!,
      backprop_input_wasm: iw!, backprop_input_shipped_wasm: is!, backprop_input_cpu: ic!,
    });
    console.log(
      `${l.name.padEnd(26)} | ${fwd!.padStart(8)} | ${fw!.padStart(11)} | ${fc!.padStart(10)} | ${iw!.padStart(10)} | ${is!.padStart(13)} | ${ic!.padStart(9)}`,
    );
  }
}

// --- DCGAN-32 (CONVENTIONS.md) with tf.layers, as a model author would write it -------------------

function generator(channels: number): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [100], units: 4 * 4 * 256, useBias: false }));
  m.add(tf.layers.batchNormalization());
  m.add(tf.layers.reLU());
  m.add(tf.layers.reshape({ targetShape: [4, 4, 256] }));
  for (const f of [128, 64]) {
    m.add(tf.layers.conv2dTranspose({ filters: f, kernelSize: 4, strides: 2, padding: 'same', useBias: false }));
    m.add(tf.layers.batchNormalization());
    m.add(tf.layers.reLU());
  }
  m.add(tf.layers.conv2dTranspose({ filters: channels, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh' }));
  return m;
}

function discriminator(channels: number): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [32, 32, channels], filters: 64, kernelSize: 4, strides: 2, padding: 'same' }));
  m.add(tf.layers.leakyReLU({ alpha: 0.2 }));
  for (const f of [128, 256]) {
    m.add(tf.layers.conv2d({ filters: f, kernelSize: 4, strides: 2, padding: 'same', useBias: false }));
    m.add(tf.layers.batchNormalization());
    m.add(tf.layers.leakyReLU({ alpha: 0.2 }));
  }
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 1 }));
  return m;
}

function bce(logits: tf.Tensor, label: number): tf.Scalar {
  return tf.losses.sigmoidCrossEntropy(tf.fill(logits.shape, label), logits) as tf.Scalar;
}

/** Images/s of full DCGAN steps (D on real+fake, then G) at `batch`, over `steps` timed steps. */
async function dcganRate(backend: string, batch: number, steps: number): Promise<number> {
  await tf.setBackend(backend);
  const g = generator(3);
  const d = discriminator(3);
  const optD = tf.train.adam(2e-4, 0.5, 0.999);
  const optG = tf.train.adam(2e-4, 0.5, 0.999);
  const real = tf.randomUniform([batch, 32, 32, 3], -1, 1);
  const dVars = d.trainableWeights.map((w) => w.read() as tf.Variable);
  const gVars = g.trainableWeights.map((w) => w.read() as tf.Variable);
  const step = (): void => {
    tf.tidy(() => {
      const fake = g.apply(tf.randomNormal([batch, 100]), { training: true }) as tf.Tensor;
      optD.minimize(() => {
        const lr = bce(d.apply(real, { training: true }) as tf.Tensor, 1);
        return lr.add(bce(d.apply(fake, { training: true }) as tf.Tensor, 0)) as tf.Scalar;
      }, false, dVars);
      optG.minimize(() => {
        const f = g.apply(tf.randomNormal([batch, 100]), { training: true }) as tf.Tensor;
        return bce(d.apply(f, { training: true }) as tf.Tensor, 1);
      }, false, gVars);
    });
  };
  step(); // warm-up: kernel setup, XNNPACK operator creation
  const before = tf.memory().numTensors;
  let best = Infinity;
  for (let i = 0; i < steps; i++) {
    const t0 = clock();
    step();
    best = Math.min(best, clock() - t0);
  }
  const dt = best / 1000;
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) console.log(`  (${backend}: ${leaked} tensors leaked over ${steps} steps)`);
  if (process.argv.includes('--profile')) await profileStep(step);
  g.dispose();
  d.dispose();
  optD.dispose();
  optG.dispose();
  real.dispose();
  return batch / dt;
}

async function main(): Promise<void> {
  await prepareWasm();
  await tf.setBackend('wasm');
  console.log(`tfjs ${tf.version.tfjs}, wasm SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}`);
  await kernelTable();
  console.log('\nDCGAN-32 training (D on real+fake, then G), images/s');
  const wasmRate = await dcganRate('wasm', 64, quick ? 2 : 6);
  console.log(`wasm batch 64: ${wasmRate.toFixed(1)} img/s`);
  summary.dcgan.wasm_batch64_images_per_s = Number(wasmRate.toFixed(1));
  // one pure-JS cpu step takes minutes: only in the full run
  if (!noCpuDcgan && !quick) {
    const cpuRate = await dcganRate('cpu', 8, 1);
    console.log(`cpu  batch 8 : ${cpuRate.toFixed(2)} img/s (one step)`);
    summary.dcgan.cpu_batch8_images_per_s = Number(cpuRate.toFixed(3));
    summary.dcgan.wasm_over_cpu = Number((wasmRate / cpuRate).toFixed(1));
  }
  console.log(JSON.stringify(summary));
}

await main();
