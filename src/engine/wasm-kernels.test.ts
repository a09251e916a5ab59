// Equivalence of the wasm training kernels with the cpu backend (the reference implementation).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareWasm } from './wasm-setup.js';

/** Deterministic data that does not depend on any backend's RNG. */
function data(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Runs `f` on a backend and returns plain arrays, leaving no tensors behind. */
async function on(backend: string, f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(f);
  const vals = outs.map((t) => t.dataSync() as Float32Array);
  tf.dispose(outs);
  return vals;
}

function expectClose(got: Float32Array, want: Float32Array): void {
  expect(got.length).toBe(want.length);
  let maxAbs = 0;
  let maxDiff = 0;
  for (let i = 0; i < want.length; i++) {
    maxAbs = Math.max(maxAbs, Math.abs(want[i]!));
    maxDiff = Math.max(maxDiff, Math.abs(got[i]! - want[i]!));
  }
  expect(maxDiff).toBeLessThan(1e-4 * Math.max(1, maxAbs));
}

interface ConvCase {
  x: [number, number, number, number];
  k: number;
  cout: number;
  s: number;
  pad: 'same' | 'valid';
}

const convCases: ConvCase[] = [
  { x: [2, 8, 8, 3], k: 3, cout: 4, s: 1, pad: 'same' },
  { x: [2, 9, 7, 3], k: 3, cout: 5, s: 2, pad: 'same' },
  { x: [3, 8, 8, 1], k: 4, cout: 8, s: 2, pad: 'same' },
  { x: [2, 11, 10, 2], k: 4, cout: 3, s: 2, pad: 'valid' },
  { x: [1, 12, 12, 3], k: 7, cout: 4, s: 1, pad: 'valid' },
  { x: [2, 10, 10, 3], k: 7, cout: 2, s: 1, pad: 'same' },
  // 64 channels at small sizes: the cpu reference's filter gradient is a naive loop.
  { x: [1, 8, 8, 64], k: 4, cout: 32, s: 2, pad: 'same' },
  { x: [1, 6, 6, 64], k: 3, cout: 16, s: 1, pad: 'same' },
  { x: [2, 13, 13, 4], k: 3, cout: 4, s: 3, pad: 'valid' },
  // 16+ input channels: the input gradient runs one exact convolution per phase (odd padding,
  // uneven taps per phase, phases with no taps at all when K < s, stride 3)
  { x: [2, 9, 7, 16], k: 3, cout: 4, s: 2, pad: 'same' },
  { x: [1, 10, 11, 16], k: 4, cout: 8, s: 2, pad: 'valid' },
  { x: [1, 7, 8, 16], k: 1, cout: 4, s: 2, pad: 'valid' },
  { x: [1, 11, 11, 16], k: 5, cout: 4, s: 3, pad: 'same' },
  // small batch, wide output: the filter gradient takes the im2col product (padding at every edge)
  { x: [2, 9, 9, 8], k: 3, cout: 48, s: 1, pad: 'same' },
  { x: [2, 9, 7, 5], k: 3, cout: 32, s: 2, pad: 'same' },
  { x: [3, 10, 9, 6], k: 4, cout: 48, s: 2, pad: 'valid' },
];

describe('wasm conv gradients match cpu', () => {
  beforeAll(prepareWasm);

  for (const c of convCases) {
    it(`conv2d x=${c.x} k${c.k} s${c.s} ${c.pad} -> ${c.cout}`, async () => {
      const wShape = [c.k, c.k, c.x[3], c.cout];
      const xv = data(size(c.x), 1);
      const wv = data(size(wShape), 2);
      const run = (): tf.Tensor[] => {
        const x = tf.tensor4d(xv, c.x);
        const w = tf.tensor4d(wv, wShape as [number, number, number, number]);
        const y = tf.conv2d(x, w, c.s, c.pad);
        const dy = tf.tensor(data(y.size, 3), y.shape);
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad).mul(dy).sum(),
        );
        return g([x, w]);
      };
      const want = await on('cpu', run);
      const got = await on('wasm', run);
      expectClose(got[0]!, want[0]!);
      expectClose(got[1]!, want[1]!);
    });
  }

  it('conv2dTranspose forward and grads (DCGAN upsampling shape)', async () => {
    const run = (): tf.Tensor[] => {
      const x = tf.tensor4d(data(2 * 4 * 4 * 16, 4), [2, 4, 4, 16]);
      const w = tf.tensor4d(data(4 * 4 * 8 * 16, 5), [4, 4, 8, 16]);
      const y = tf.conv2dTranspose(x, w, [2, 8, 8, 8], 2, 'same');
      const dy = tf.tensor(data(y.size, 6), y.shape);
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, [2, 8, 8, 8], 2, 'same').mul(dy).sum(),
      );
      return [y, ...g([x, w])];
    };
    const want = await on('cpu', run);
    const got = await on('wasm', run);
    want.forEach((w, i) => expectClose(got[i]!, w));
  });

  // The cpu backend's depthwise backprop ignores dilation (tfjs refuses such gradients), so the
  // depthwise kernels are checked against a direct transcription of the definition instead.
  for (const [mult, s, dil] of [
    [1, 1, 1],
    [2, 2, 1],
    [1, 1, 2],
    [3, 2, 1],
    [2, 1, 3],
  ] as const) {
    it(`depthwise backprop multiplier ${mult} stride ${s} dilation ${dil}`, async () => {
      const [n, h, w, c, k] = [2, 9, 8, 3, 3];
      const [pt, pb, pl, pr] = [2, 1, 1, 2];
      const oh = Math.floor((h + pt + pb - ((k - 1) * dil + 1)) / s) + 1;
      const ow = Math.floor((w + pl + pr - ((k - 1) * dil + 1)) / s) + 1;
      const xv = data(n * h * w * c, 7);
      const wv = data(k * k * c * mult, 8);
      const dyv = data(n * oh * ow * c * mult, 9);
      const dxRef = new Float32Array(xv.length);
      const dwRef = new Float32Array(wv.length);
      for (let b = 0; b < n; b++)
        for (let i = 0; i < oh; i++)
          for (let j = 0; j < ow; j++)
            for (let p = 0; p < k; p++)
              for (let q = 0; q < k; q++) {
                const y = i * s + p * dil - pt;
                const z = j * s + q * dil - pl;
                if (y < 0 || y >= h || z < 0 || z >= w) continue;
                for (let ch = 0; ch < c; ch++)
                  for (let m = 0; m < mult; m++) {
                    const g = dyv[((b * oh + i) * ow + j) * c * mult + ch * mult + m]!;
                    const xi = ((b * h + y) * w + z) * c + ch;
                    const wi = ((p * k + q) * c + ch) * mult + m;
                    dxRef[xi]! += g * wv[wi]!;
                    dwRef[wi]! += g * xv[xi]!;
                  }
              }
      const attrs = {
        strides: s,
        dilations: dil,
        pad: [
          [0, 0],
          [pt, pb],
          [pl, pr],
          [0, 0],
        ],
      };
      const [dx, dw] = await on('wasm', () => {
        const x = tf.tensor4d(xv, [n, h, w, c]);
        const f = tf.tensor4d(wv, [k, k, c, mult]);
        const dy = tf.tensor4d(dyv, [n, oh, ow, c * mult]);
        const engine = tf.engine();
        return [
          engine.runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: f }, {
            ...attrs,
            inputShape: x.shape,
          }) as tf.Tensor,
          engine.runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, {
            ...attrs,
            filterShape: f.shape,
          }) as tf.Tensor,
        ];
      });
      expectClose(dx!, dxRef);
      expectClose(dw!, dwRef);
    });
  }

  it('tile (the batch-norm gradient broadcast) for several ranks and dtypes', async () => {
    const run = (): tf.Tensor[] => [
      tf.tile(tf.tensor4d(data(5, 13), [1, 1, 1, 5]), [4, 3, 2, 1]),
      tf.tile(tf.tensor3d(data(2 * 3 * 4, 14), [2, 3, 4]), [2, 1, 3]),
      tf.tile(tf.tensor1d(data(3, 15)), [4]),
      tf.tile(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), [3, 2]).toFloat(),
      tf.tile(tf.tensor2d([true, false], [1, 2], 'bool'), [2, 3]).toFloat(),
    ];
    const want = await on('cpu', run);
    const got = await on('wasm', run);
    want.forEach((w, i) => expectClose(got[i]!, w));
  });

  it('split (the concat gradient) on every axis, uneven parts, int32 and bool', async () => {
    const run = (): tf.Tensor[] => {
      const x = tf.tensor4d(data(2 * 3 * 5 * 72, 16), [2, 3, 5, 72]);
      return [
        ...tf.split(x, [24, 12, 12, 24], 3), // an ESRGAN dense block's channel groups
        ...tf.split(x, [1, 2], 1),
        ...tf.split(x, 2, 0),
        ...tf.split(x, [2, -1, 1], 2),
        ...tf.split(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32'), [1, 2], 1).map((t) => t.toFloat()),
        ...tf.split(tf.tensor2d([true, false, true, true], [2, 2], 'bool'), 2, 1).map((t) => t.toFloat()),
        // and through autodiff: concat's gradient is a split of dy
        tf.grad((a: tf.Tensor) => tf.concat([a, a.mul(2), a.square()], 3).mul(tf.tensor(data(2 * 3 * 5 * 216, 17), [2, 3, 5, 216])).sum())(x),
      ];
    };
    const want = await on('cpu', run);
    const got = await on('wasm', run);
    want.forEach((w, i) => expectClose(got[i]!, w));
  });

  it('concat on every axis, two to five parts, int32, bool and empty parts', async () => {
    const run = (): tf.Tensor[] => {
      const a = tf.tensor4d(data(2 * 3 * 5 * 24, 18), [2, 3, 5, 24]);
      const b = tf.tensor4d(data(2 * 3 * 5 * 12, 19), [2, 3, 5, 12]);
      const c = tf.tensor4d(data(2 * 3 * 5 * 7, 20), [2, 3, 5, 7]);
      return [
        tf.concat([a, b, b, c, a], 3), // an ESRGAN dense block's last join (runs under and over 16)
        tf.concat([a, a.mul(2)], 0),
        tf.concat([b.slice([0, 0, 0, 0], [2, 1, 5, 12]), b], 1),
        tf.concat([c, c.reshape([2, 3, 7, 5]).transpose([0, 1, 3, 2])], 2),
        tf.concat([tf.tensor2d([1, 2], [1, 2], 'int32'), tf.tensor2d([3], [1, 1], 'int32')], 1).toFloat(),
        tf.concat([tf.tensor1d([true], 'bool'), tf.tensor1d([false, true], 'bool')]).toFloat(),
        tf.concat([tf.zeros([2, 0]), tf.ones([2, 3])], 1),
      ];
    };
    const want = await on('cpu', run);
    const got = await on('wasm', run);
    want.forEach((w, i) => expectClose(got[i]!, w));
  });

  it('slice: crops of every rank, whole trailing axes merged or not, -1 sizes, int32 and bool', async () => {
    const run = (): tf.Tensor[] => {
      const x = tf.tensor4d(data(2 * 9 * 8 * 16, 21), [2, 9, 8, 16]);
      return [
        x.slice([0, 3, 3, 0], [2, 3, 2, 16]), // a padding gradient's crop: W·C runs
        x.slice([1, 0, 0, 0], [1, -1, -1, -1]),
        x.slice([0, 1, 2, 5], [2, 7, 5, 9]), // partial channels: C runs
        x.slice([0, 0, 0, 0], [2, 9, 8, 16]),
        x.slice([0, 4, 0, 0], [2, 1, 8, 16]),
        tf.tensor5d(data(2 * 3 * 4 * 5 * 6, 22), [2, 3, 4, 5, 6]).slice([1, 1, 0, 2, 0], [1, 2, 4, 3, 6]),
        tf.tensor1d(data(10, 23)).slice(3, 4),
        tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32').slice([0, 1], [2, 2]).toFloat(),
        tf.tensor2d([true, false, true, true], [2, 2], 'bool').slice([1, 0], [1, 2]).toFloat(),
        tf.zeros([2, 3]).slice([0, 1], [2, 0]),
        // through autodiff: the gradients of reflection and zero padding are slices of dy
        tf.grad((a: tf.Tensor) => tf.mirrorPad(a as tf.Tensor4D, [[0, 0], [3, 3], [3, 3], [0, 0]], 'reflect').mul(tf.tensor(data(2 * 15 * 14 * 16, 24), [2, 15, 14, 16])).sum())(x),
        tf.grad((a: tf.Tensor) => tf.pad(a, [[0, 0], [1, 1], [1, 1], [0, 0]]).square().sum())(x),
      ];
    };
    const want = await on('cpu', run);
    const got = await on('wasm', run);
    want.forEach((w, i) => expectClose(got[i]!, w));
  });

  it('matMul with transposed operands', async () => {
    const run = (): tf.Tensor[] => {
      const a = tf.tensor2d(data(37 * 19, 10), [37, 19]);
      const b = tf.tensor2d(data(37 * 23, 11), [37, 23]);
      const c = tf.tensor3d(data(2 * 23 * 19, 12), [2, 23, 19]);
      return [tf.matMul(a, b, true, false), tf.matMul(b, a.transpose(), true, true), tf.matMul(c, a, false, true)];
    };
    const want = await on('cpu', run);
    const got = await on('wasm', run);
    want.forEach((w, i) => expectClose(got[i]!, w));
  });
});
