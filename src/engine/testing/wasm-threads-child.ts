// Test helper run as a child process (dist/src/engine/testing/wasm-threads-child.js): starts the
// wasm backend the way the engine does (GAN_STUDIO_WASM_THREADS from the environment), runs a
// convolution forward and both of its gradients (GAN Studio's own backprop kernels) on fixed
// inputs, prints the thread count and the results as one JSON line, and then simply returns:
// the test checks that the process exits by itself, i.e. the pool's workers do not hold it open.
import * as tf from '@tensorflow/tfjs';
import { prepareWasm, wasmThreads } from '../wasm-setup.js';

await prepareWasm();
if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not start');
await tf.ready();

/** Deterministic values in [-1, 1) without tfjs's RNG (the same on every backend and run). */
function fixed(shape: number[], seed: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Float32Array.from({ length: n }, (_, i) => (((i * 7919 + seed * 104729) % 2001) / 1000) - 1);
  return tf.tensor(values, shape);
}

function absSum(t: tf.Tensor): number {
  return tf.tidy(() => t.abs().sum().dataSync()[0]!);
}

const x = fixed([2, 34, 34, 16], 1) as tf.Tensor4D;
const w = fixed([3, 3, 16, 32], 2) as tf.Tensor4D;
const before = tf.memory().numTensors;
const { value, grads } = tf.valueAndGrads((xi: tf.Tensor, wi: tf.Tensor) =>
  tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, 2, 'same').square().mean(),
)([x, w]);
const result = {
  threads: wasmThreads().threads,
  note: wasmThreads().note ?? null,
  backend: tf.getBackend(),
  loss: (await value.data())[0],
  dx: Array.from((await grads[0]!.data()).slice(0, 64)),
  dw: Array.from((await grads[1]!.data()).slice(0, 64)),
  dxSum: absSum(grads[0]!),
  dwSum: absSum(grads[1]!),
};
tf.dispose([value, ...grads]);
process.stdout.write(`${JSON.stringify({ ...result, leaked: tf.memory().numTensors - before })}\n`);
