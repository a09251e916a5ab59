// The closed-form batch norm must train exactly like tf.layers.batchNormalization: same output,
// same gradients, same moving averages, same weights (names and order), no leaked tensors.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareWasm } from '../../engine/wasm-setup.js';
import { batchNormalization } from './batch-norm.js';

function close(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / Math.max(1, tf.max(tf.abs(b)).dataSync()[0]!));
}

/** One training-mode forward + backward through a fresh layer; returns what a step depends on. */
function trainOnce(make: () => tf.layers.Layer, x: tf.Tensor, dy: tf.Tensor) {
  const layer = make();
  layer.build(x.shape);
  layer.setWeights([tf.linspace(0.5, 1.5, x.shape.at(-1)!), tf.linspace(-0.2, 0.3, x.shape.at(-1)!), tf.zeros([x.shape.at(-1)!]), tf.ones([x.shape.at(-1)!])]);
  const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, { training: true }) as tf.Tensor, dy)), vars);
  const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, dy)))(x);
  const y = layer.apply(x, { training: true }) as tf.Tensor;
  const result = { y, dx, grads: vars.map((v) => grads[v.name]!), moving: layer.getWeights().slice(2), names: layer.weights.map((w) => w.originalName.replace(/.*\//, '')) };
  value.dispose();
  // Layer.dispose refuses layers never applied symbolically: free the variables directly.
  return { result, dispose: () => layer.weights.forEach((w) => w.dispose()) };
}

describe('closed-form batch norm', () => {
  beforeAll(prepareWasm);

  for (const backend of ['cpu', 'wasm']) {
    for (const shape of [[4, 5, 3, 6], [8, 10]]) {
      it(`matches the stock layer on ${backend}, input ${shape.join('×')}`, async () => {
        await tf.setBackend(backend);
        const x = tf.randomNormal(shape, 0.3, 2, 'float32', 1);
        const dy = tf.randomNormal(shape, 0, 1, 'float32', 2);
        const args = { momentum: 0.9, epsilon: 1e-5 };
        const stock = trainOnce(() => tf.layers.batchNormalization(args), x, dy);
        const ours = trainOnce(() => batchNormalization(args), x, dy);
        expect(close(ours.result.y, stock.result.y)).toBeLessThan(1e-5);
        expect(close(ours.result.dx, stock.result.dx)).toBeLessThan(1e-4);
        ours.result.grads.forEach((g, i) => expect(close(g, stock.result.grads[i]!)).toBeLessThan(1e-4));
        // three training calls each: the moving averages moved the same way
        ours.result.moving.forEach((m, i) => expect(close(m, stock.result.moving[i]!)).toBeLessThan(1e-5));
        expect(ours.result.names).toEqual(stock.result.names);
        tf.dispose([x, dy]);
        stock.dispose();
        ours.dispose();
      });
    }
  }

  it('leaks no tensors over training steps and serialises as the stock class', async () => {
    await tf.setBackend('cpu');
    const layer = batchNormalization({ momentum: 0.9 });
    const x = tf.randomNormal([2, 3, 3, 4], 0, 1, 'float32', 3);
    layer.build(x.shape);
    const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const opt = tf.train.adam(1e-3);
    const step = () => tf.tidy(() => { opt.minimize(() => tf.mean(tf.square(layer.apply(x, { training: true }) as tf.Tensor)), false, vars); });
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    expect(layer.getClassName()).toBe('BatchNormalization');
    opt.dispose();
    layer.weights.forEach((w) => w.dispose());
    x.dispose();
  });
});
