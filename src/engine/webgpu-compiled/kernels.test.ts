// Single compiled kernels against tfjs on llvmpipe: each kernel's forward and its gradient on
// small random inputs (tf.grad of the same function is the reference).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { installWebGpu } from '../webgpu-setup.js';
import { augmentDraws, cutoutSize, diffAugment } from '../../models/common/diff-augment.js';
import { KernelHarness } from './kernel-harness.js';
import { AUG, AUG_BACKWARD, AUG_FORWARD, AUG_PARAM_FLOATS } from './wgsl-augment.js';
import { BN, BN_FORWARD, CB, CHANNEL_BACKWARD } from './wgsl-kernels.js';
import { ACT, NONE } from './wgsl-common.js';
import { f32bits, flatGroups } from './gpu-context.js';
import { AX, AXPY, PAIR_LOSS, PL, RESAMPLE, RESAMPLE_OPS, RS, resampleShape, type ResampleOp } from './wgsl-spatial.js';
import { instanceNorm, UpsampleNearest2d } from '../../models/cyclegan/layers.js';
import { pixelShuffle } from '../../models/esrgan/layers.js';

let previous = '';
beforeAll(async () => {
  previous = tf.getBackend();
  if (!(await installWebGpu(['backend=opengl']))) throw new Error('no WebGPU adapter (needs libegl1 libegl-mesa0 libgl1-mesa-dri)');
  await import('@tensorflow/tfjs-backend-webgpu');
  await tf.setBackend('webgpu');
  await tf.ready();
});
afterAll(async () => {
  if (previous) await tf.setBackend(previous);
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let most = 0;
  for (let i = 0; i < a.length; i++) most = Math.max(most, Math.abs(a[i]! - b[i]!));
  return most;
}

describe('compiled kernels vs tfjs (llvmpipe)', () => {
  for (const [n, size, channels] of [[3, 8, 3], [2, 12, 1]] as const) {
    it(`DiffAugment forward and input gradient, ${n}×${size}²×${channels}`, async () => {
      const seed = 4242;
      const shape = [n, size, size, channels] as [number, number, number, number];
      const x = tf.randomUniform(shape, -1, 1, 'float32', 1);
      const dy = tf.randomNormal(shape, 0, 1, 'float32', 2);
      const expectedY = diffAugment(x as tf.Tensor4D, seed);
      const expectedDx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(diffAugment(v as tf.Tensor4D, seed), dy)))(x);
      const h = new KernelHarness();
      const inX = h.region('x', (await x.data()) as Float32Array);
      const inDy = h.region('dy', (await dy.data()) as Float32Array);
      const draws = h.region('draws', augmentDraws(n, size, size, channels, seed));
      const y = h.region('y', x.size);
      const dx = h.region('dx', x.size);
      const words = { [AUG.H]: size, [AUG.W]: size, [AUG.C]: channels, [AUG.OFF_P]: draws.offset, [AUG.CUT_H]: cutoutSize(size), [AUG.CUT_W]: cutoutSize(size) };
      h.dispatch('aug-f', AUG_FORWARD, { ...words, [AUG.OFF_IN]: inX.offset, [AUG.OFF_OUT]: y.offset }, [n, 1, 1]);
      h.dispatch('aug-b', AUG_BACKWARD, { ...words, [AUG.OFF_IN]: inDy.offset, [AUG.OFF_OUT]: dx.offset }, [n, 1, 1]);
      const [gotY, gotDx] = await h.run([y, dx]);
      expect(AUG_PARAM_FLOATS).toBe(8);
      expect(maxAbsDiff(gotY!, await expectedY.data())).toBeLessThan(1e-5);
      expect(maxAbsDiff(gotDx!, await expectedDx.data())).toBeLessThan(1e-5);
      tf.dispose([x, dy, expectedY, expectedDx]);
    });
  }

  it('instance norm + ReLU (batch-norm kernels with one group per image) forward and gradient', async () => {
    const [n, h, w, c] = [3, 6, 5, 4];
    const x = tf.randomNormal([n, h, w, c], 0.3, 2, 'float32', 5);
    const dy = tf.randomNormal([n, h, w, c], 0, 1, 'float32', 6);
    const f = (v: tf.Tensor) => tf.relu(instanceNorm(v as tf.Tensor4D));
    const [expectedY, expectedDx] = [f(x), tf.grad((v: tf.Tensor) => tf.sum(tf.mul(f(v), dy)))(x)];
    const hs = new KernelHarness();
    const rx = hs.region('x', (await x.data()) as Float32Array);
    const rdy = hs.region('dy', (await dy.data()) as Float32Array);
    const ones = hs.region('ones', new Float32Array(c).fill(1));
    const zeros = hs.region('zeros', c);
    const y = hs.region('y', x.size);
    const save = hs.region('save', 2 * n * c);
    hs.dispatch('in-f', BN_FORWARD, {
      [BN.C]: c, [BN.R]: h * w, [BN.GROUPS]: n, [BN.OFF_X]: rx.offset, [BN.OFF_Y]: y.offset, [BN.OFF_GAMMA]: ones.offset, [BN.OFF_BETA]: zeros.offset,
      [BN.OFF_MEAN]: NONE, [BN.OFF_VAR]: NONE, [BN.OFF_SAVE]: save.offset, [BN.EPS]: f32bits(1e-5), [BN.ONE_MINUS_MOMENTUM]: 0, [BN.ACT]: ACT.relu, [BN.ALPHA]: 0, [BN.UPDATES]: 0,
    }, [c, 1, 1]);
    hs.dispatch('in-b', CHANNEL_BACKWARD, {
      [CB.C]: c, [CB.R]: h * w, [CB.GROUPS]: n, [CB.OFF_DY]: rdy.offset, [CB.OFF_Y]: y.offset, [CB.OFF_X]: rx.offset, [CB.OFF_SAVE]: save.offset,
      [CB.OFF_GAMMA]: ones.offset, [CB.OFF_DGAMMA]: NONE, [CB.OFF_DBETA]: NONE, [CB.OFF_DBIAS]: NONE, [CB.EPS]: f32bits(1e-5), [CB.ACT]: ACT.relu, [CB.ALPHA]: 0, [CB.OFF_DX]: rdy.offset,
    }, [c, 1, 1]);
    const [gotY, gotDx] = await hs.run([y, rdy]);
    expect(maxAbsDiff(gotY!, await expectedY.data())).toBeLessThan(1e-5);
    expect(maxAbsDiff(gotDx!, await expectedDx.data())).toBeLessThan(1e-5);
    tf.dispose([x, dy, expectedY, expectedDx]);
  });

  /** Runs one resample forward and backward; returns [y, dx]. */
  async function resample(op: ResampleOp, x: tf.Tensor4D, k: number, dy: tf.Tensor4D): Promise<Float32Array[]> {
    const [n, h, w, c] = x.shape;
    const hs = new KernelHarness();
    const rx = hs.region('x', (await x.data()) as Float32Array);
    const ry = hs.region('y', dy.size);
    const rdy = hs.region('dy', (await dy.data()) as Float32Array);
    const rdx = hs.region('dx', x.size);
    const words = { [RS.N]: n, [RS.H]: h, [RS.W]: w, [RS.C]: c, [RS.K]: k, [RS.OP]: RESAMPLE_OPS[op] };
    const [fx, fy] = flatGroups(dy.size);
    hs.dispatch('rs', RESAMPLE, { ...words, [RS.GROUPS_X]: fx, [RS.OFF_IN]: rx.offset, [RS.OFF_OUT]: ry.offset, [RS.BACKWARD]: 0 }, [fx, fy, 1]);
    const [bx, by] = flatGroups(x.size);
    hs.dispatch('rs', RESAMPLE, { ...words, [RS.GROUPS_X]: bx, [RS.OFF_IN]: rdx.offset, [RS.OFF_OUT]: rdy.offset, [RS.BACKWARD]: 1 }, [bx, by, 1]);
    return hs.run([ry, rdx]);
  }

  it('reflection pad: forward equals tf.mirrorPad; gradient is the exact adjoint (tfjs drops the reflected border)', async () => {
    const [n, h, w, c, p] = [2, 7, 6, 3, 2];
    const x = tf.randomNormal([n, h, w, c], 0, 1, 'float32', 7) as tf.Tensor4D;
    const pad = (v: tf.Tensor) => tf.mirrorPad(v as tf.Tensor4D, [[0, 0], [p, p], [p, p], [0, 0]], 'reflect');
    const [oh, ow] = resampleShape('reflectPad', h, w, c, p);
    const dy = tf.randomNormal([n, oh, ow, c], 0, 1, 'float32', 8) as tf.Tensor4D;
    const [gotY, gotDx] = await resample('reflectPad', x, p, dy);
    expect(maxAbsDiff(gotY!, await pad(x).data())).toBeLessThan(1e-6);
    // the adjoint, in JS: every output pixel's gradient goes back to the pixel it copied
    const reflect = (i: number, size: number) => (i < 0 ? -i : i >= size ? 2 * size - 2 - i : i);
    const dyv = await dy.data();
    const adjoint = new Float32Array(x.size);
    for (let b = 0; b < n; b++) for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let ch = 0; ch < c; ch++) {
      adjoint[((b * h + reflect(oy - p, h)) * w + reflect(ox - p, w)) * c + ch]! += dyv[((b * oh + oy) * ow + ox) * c + ch]!;
    }
    expect(maxAbsDiff(gotDx!, adjoint)).toBeLessThan(1e-5);
    // tfjs agrees on pixels no reflection reads (rows/columns p+1 … size−2−p)
    const tfjsDx = await tf.grad((v: tf.Tensor) => tf.sum(tf.mul(pad(v), dy)))(x).data();
    for (let b = 0; b < n; b++) for (let y = p + 1; y <= h - 2 - p; y++) for (let xx = p + 1; xx <= w - 2 - p; xx++) for (let ch = 0; ch < c; ch++) {
      const i = ((b * h + y) * w + xx) * c + ch;
      expect(Math.abs(gotDx![i]! - tfjsDx[i]!)).toBeLessThan(1e-5);
    }
    tf.dispose([x, dy]);
  });

  for (const [op, k, c] of [['nearestUp', 2, 3], ['pixelShuffle', 2, 12], ['pixelShuffle', 3, 18]] as const) {
    it(`${op} ×${k} (${c} channels): forward and gradient equal tfjs's`, async () => {
      const [n, h, w] = [2, 4, 5];
      const x = tf.randomNormal([n, h, w, c], 0, 1, 'float32', 9) as tf.Tensor4D;
      const f = (v: tf.Tensor) => (op === 'nearestUp' ? (new UpsampleNearest2d().apply(v) as tf.Tensor4D) : pixelShuffle(v as tf.Tensor4D, k));
      const [oh, ow, oc] = resampleShape(op, h, w, c, k);
      const dy = tf.randomNormal([n, oh, ow, oc], 0, 1, 'float32', 10) as tf.Tensor4D;
      const [gotY, gotDx] = await resample(op, x, k, dy);
      expect(maxAbsDiff(gotY!, await f(x).data())).toBeLessThan(1e-6);
      expect(maxAbsDiff(gotDx!, await tf.grad((v: tf.Tensor) => tf.sum(tf.mul(f(v), dy)))(x).data())).toBeLessThan(1e-5);
      tf.dispose([x, dy]);
    });
  }

  it('residual add (axpy) and the L1 / LSGAN losses with their gradients', async () => {
    const len = 700;
    const a = tf.randomNormal([len], 0, 1, 'float32', 11);
    const b = tf.randomNormal([len], 0, 1, 'float32', 12);
    const hs = new KernelHarness();
    const ra = hs.region('a', (await a.data()) as Float32Array);
    const rb = hs.region('b', (await b.data()) as Float32Array);
    const sum = hs.region('sum', len);
    const dl1 = hs.region('dl1', len);
    const dmse = hs.region('dmse', new Float32Array(len).fill(0.5));
    const losses = hs.region('losses', 2);
    const [gx, gy] = flatGroups(len);
    hs.dispatch('axpy', AXPY, { [AX.GROUPS_X]: gx, [AX.LEN]: len, [AX.OFF_X]: ra.offset, [AX.OFF_Y]: rb.offset, [AX.OFF_OUT]: sum.offset, [AX.SCALE]: f32bits(0.2) }, [gx, gy, 1]);
    hs.dispatch('loss', PAIR_LOSS, { [PL.LEN]: len, [PL.KIND]: 0, [PL.OFF_A]: ra.offset, [PL.OFF_B]: rb.offset, [PL.LABEL]: 0, [PL.WEIGHT]: f32bits(10), [PL.OFF_DA]: dl1.offset, [PL.ACCUMULATE]: 0, [PL.OFF_LOSS]: losses.offset }, [1, 1, 1]);
    hs.dispatch('loss', PAIR_LOSS, { [PL.LEN]: len, [PL.KIND]: 1, [PL.OFF_A]: ra.offset, [PL.OFF_B]: NONE, [PL.LABEL]: f32bits(1), [PL.WEIGHT]: f32bits(1), [PL.OFF_DA]: dmse.offset, [PL.ACCUMULATE]: 1, [PL.OFF_LOSS]: losses.offset + 1 }, [1, 1, 1]);
    const [gotSum, gotL1, gotMse, gotLosses] = await hs.run([sum, dl1, dmse, losses]);
    const l1 = (v: tf.Tensor) => tf.mul(tf.mean(tf.abs(tf.sub(v, b))), 10);
    const mse = (v: tf.Tensor) => tf.mean(tf.square(tf.sub(v, 1)));
    expect(maxAbsDiff(gotSum!, await tf.add(a, tf.mul(b, 0.2)).data())).toBeLessThan(1e-6);
    expect(maxAbsDiff(gotL1!, await tf.grad(l1)(a).data())).toBeLessThan(1e-6);
    expect(maxAbsDiff(gotMse!, await tf.add(tf.grad(mse)(a), 0.5).data())).toBeLessThan(1e-6);
    expect(maxAbsDiff(gotLosses!, [(await l1(a).data())[0]!, (await mse(a).data())[0]!])).toBeLessThan(1e-4);
    tf.dispose([a, b]);
  });
});
