// Whole-network gradients on wasm (with our kernels) against the cpu backend, for the layer mixes
// of the app's model families, plus a leak check that also sees the kernels' private scratch.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareWasm } from './wasm-setup.js';

function data(n: number, seed: number, scale = 0.2): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 2 * scale;
  }
  return out;
}

type Shapes = Record<string, number[]>;
type Params = Record<string, tf.Tensor>;
type Net = (p: Params, x: tf.Tensor) => tf.Scalar;

function makeParams(shapes: Shapes): Params {
  const p: Params = {};
  Object.entries(shapes).forEach(([k, shape], i) => {
    const n = shape.reduce((a, b) => a * b, 1);
    p[k] = tf.tensor(data(n, 100 + i), shape);
  });
  return p;
}

const lrelu = (x: tf.Tensor): tf.Tensor => tf.leakyRelu(x, 0.2);

function batchNorm(x: tf.Tensor, axes: number[]): tf.Tensor {
  const { mean, variance } = tf.moments(x, axes, true);
  return x.sub(mean).mul(tf.rsqrt(variance.add(1e-5)));
}

function bce(logits: tf.Tensor, label: number): tf.Scalar {
  return tf.losses.sigmoidCrossEntropy(tf.fill(logits.shape, label), logits) as tf.Scalar;
}

// DCGAN at reduced width: dense -> BN -> ReLU -> convT s2 -> BN -> ReLU -> convT s2 -> tanh, then
// D: conv s2 -> LReLU -> conv s2 -> BN -> LReLU -> flatten -> dense; G's loss through D.
const dcganShapes: Shapes = {
  gDense: [8, 4 * 4 * 16],
  gT1: [4, 4, 8, 16],
  gT2: [4, 4, 3, 8],
  dC1: [4, 4, 3, 8],
  dC2: [4, 4, 8, 16],
  dDense: [4 * 4 * 16, 1],
};
const dcgan: Net = (p, z) => {
  const b = z.shape[0]!;
  let h = tf.relu(batchNorm(tf.matMul(z, p.gDense!), [0])).reshape([b, 4, 4, 16]);
  h = tf.relu(batchNorm(tf.conv2dTranspose(h as tf.Tensor4D, p.gT1 as tf.Tensor4D, [b, 8, 8, 8], 2, 'same'), [0, 1, 2]));
  const img = tf.tanh(tf.conv2dTranspose(h as tf.Tensor4D, p.gT2 as tf.Tensor4D, [b, 16, 16, 3], 2, 'same'));
  let d = lrelu(tf.conv2d(img as tf.Tensor4D, p.dC1 as tf.Tensor4D, 2, 'same'));
  d = lrelu(batchNorm(tf.conv2d(d as tf.Tensor4D, p.dC2 as tf.Tensor4D, 2, 'same'), [0, 1, 2]));
  return bce(tf.matMul(d.reshape([b, -1]), p.dDense!), 1);
};

// ESRGAN-style: conv3x3 -> LReLU -> residual conv3x3 -> pixel shuffle x2 (reshape + transpose,
// since depthToSpace has no gradient) -> conv3x3; L1 to a target.
const esrganShapes: Shapes = { c1: [3, 3, 3, 8], c2: [3, 3, 8, 8], up: [3, 3, 8, 32], out: [3, 3, 8, 3] };
const esrgan: Net = (p, x) => {
  const [b, h, w] = x.shape as number[];
  const f = lrelu(tf.conv2d(x as tf.Tensor4D, p.c1 as tf.Tensor4D, 1, 'same'));
  const r = f.add(tf.conv2d(f as tf.Tensor4D, p.c2 as tf.Tensor4D, 1, 'same').mul(0.2));
  const u = lrelu(tf.conv2d(r as tf.Tensor4D, p.up as tf.Tensor4D, 1, 'same'));
  const shuffled = u
    .reshape([b!, h!, w!, 2, 2, 8])
    .transpose([0, 1, 3, 2, 4, 5])
    .reshape([b!, h! * 2, w! * 2, 8]);
  const y = tf.conv2d(shuffled as tf.Tensor4D, p.out as tf.Tensor4D, 1, 'same');
  return tf.abs(y.sub(tf.image.resizeBilinear(x as tf.Tensor4D, [h! * 2, w! * 2]))).mean() as tf.Scalar;
};

// CycleGAN ResNet generator pieces and a PatchGAN: reflect pad + conv7, instance norm (moments
// over H,W), conv s2 down, one residual block, convT s2 up, reflect pad + conv7 + tanh, then a
// PatchGAN (conv k4 s2, LReLU, conv k4 s1 'valid') with an LSGAN loss.
const cycleShapes: Shapes = {
  in7: [7, 7, 3, 8],
  down: [3, 3, 8, 16],
  res: [3, 3, 16, 16],
  up: [3, 3, 8, 16],
  out7: [7, 7, 8, 3],
  p1: [4, 4, 3, 8],
  p2: [4, 4, 8, 1],
};
const instanceNorm = (x: tf.Tensor): tf.Tensor => batchNorm(x, [1, 2]);
const reflect = (x: tf.Tensor, n: number): tf.Tensor4D =>
  tf.mirrorPad(x as tf.Tensor4D, [[0, 0], [n, n], [n, n], [0, 0]], 'reflect');
const cyclegan: Net = (p, x) => {
  const [b, h, w] = x.shape as number[];
  let y = tf.relu(instanceNorm(tf.conv2d(reflect(x, 3), p.in7 as tf.Tensor4D, 1, 'valid')));
  y = tf.relu(instanceNorm(tf.conv2d(y as tf.Tensor4D, p.down as tf.Tensor4D, 2, 'same')));
  y = y.add(instanceNorm(tf.conv2d(reflect(y, 1), p.res as tf.Tensor4D, 1, 'valid')));
  y = tf.relu(instanceNorm(tf.conv2dTranspose(y as tf.Tensor4D, p.up as tf.Tensor4D, [b!, h!, w!, 8], 2, 'same')));
  const fake = tf.tanh(tf.conv2d(reflect(y, 3), p.out7 as tf.Tensor4D, 1, 'valid'));
  const d = lrelu(tf.conv2d(fake as tf.Tensor4D, p.p1 as tf.Tensor4D, 2, 'same'));
  const patch = tf.conv2d(d as tf.Tensor4D, p.p2 as tf.Tensor4D, 1, 'valid');
  return tf.square(patch.sub(1)).mean().add(tf.abs(fake.sub(x)).mean()) as tf.Scalar;
};

const cases: Array<[string, Shapes, Net, number[]]> = [
  ['DCGAN', dcganShapes, dcgan, [4, 8]],
  ['ESRGAN', esrganShapes, esrgan, [2, 8, 8, 3]],
  ['CycleGAN + PatchGAN', cycleShapes, cyclegan, [1, 16, 16, 3]],
];

async function gradsOn(backend: string, shapes: Shapes, net: Net, inShape: number[]): Promise<Record<string, Float32Array>> {
  await tf.setBackend(backend);
  const out: Record<string, Float32Array> = {};
  const grads = tf.tidy(() => {
    const p = makeParams(shapes);
    const x = tf.tensor(data(inShape.reduce((a, b) => a * b, 1), 7, 1), inShape);
    const names = Object.keys(p);
    const g = tf.grads((...ws: tf.Tensor[]) => net(Object.fromEntries(names.map((n, i) => [n, ws[i]!])), x));
    return Object.fromEntries(g(names.map((n) => p[n]!)).map((t, i) => [names[i]!, t]));
  });
  for (const [k, t] of Object.entries(grads)) out[k] = t.dataSync() as Float32Array;
  tf.dispose(Object.values(grads));
  return out;
}

describe('network gradients on wasm match cpu', () => {
  beforeAll(prepareWasm);

  for (const [name, shapes, net, inShape] of cases) {
    it(name, async () => {
      const want = await gradsOn('cpu', shapes, net, inShape);
      const got = await gradsOn('wasm', shapes, net, inShape);
      for (const k of Object.keys(want)) {
        const w = want[k]!;
        const g = got[k]!;
        let maxAbs = 0;
        let maxDiff = 0;
        for (let i = 0; i < w.length; i++) {
          maxAbs = Math.max(maxAbs, Math.abs(w[i]!));
          maxDiff = Math.max(maxDiff, Math.abs(g[i]! - w[i]!));
        }
        expect(maxAbs, `${name}/${k} gradient is all zeros`).toBeGreaterThan(0);
        expect(maxDiff, `${name}/${k}`).toBeLessThan(1e-4 * Math.max(1, maxAbs));
      }
    });
  }

  it('repeated training steps leak neither tensors nor wasm buffers', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const p = makeParams(dcganShapes);
    const vars = Object.fromEntries(Object.entries(p).map(([k, t]) => [k, tf.variable(t)]));
    const opt = tf.train.adam(2e-4, 0.5);
    const z = tf.tensor(data(4 * 8, 9, 1), [4, 8]);
    const step = (): void => {
      opt.minimize(() => dcgan(vars, z), false, Object.values(vars));
    };
    step();
    const tensors = tf.memory().numTensors;
    const buffers = backend.numDataIds();
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(buffers);
    tf.dispose([...Object.values(p), ...Object.values(vars), z]);
    opt.dispose();
  });
});
