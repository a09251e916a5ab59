// The ONNX exporter against ONNX Runtime: each generator family our studio trains (classic MLP
// GAN, DCGAN, ESRGAN-style SR, both CycleGAN decoders) and the shipped UpscalerJS ESRGANs is
// converted, run by onnxruntime-node, and must give our own tfjs output to within 1e-4 (on the
// [0, 1] scale the exported graph speaks). Weights are randomised, batch-norm statistics included,
// so a wrong transpose, pad or fold cannot hide behind zeros and ones.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createOrtSession, runOrt } from '../../engine/onnx-runtime.js';
import { ensureBackend } from '../../jobs/engine-backend.js';
import { stepRandom } from '../step-random.js';
import { resnetGenerator } from '../cyclegan/networks.js';
import { dcganGenerator } from '../dcgan/networks.js';
import { esrganGenerator } from '../esrgan/networks.js';
import { vanillaGenerator } from '../vanilla/networks.js';
import { loadPretrained } from '../pretrained/catalog.js';
import { layersModelToOnnx, ONNX_META, OnnxExportError, type OnnxExportSpec } from './export-onnx.js';
import onnxProto from 'onnx-proto';

beforeAll(async () => {
  await ensureBackend('wasm');
}, 60_000);

/** Every weight replaced by seeded noise; variances stay positive. */
function randomise(net: tf.LayersModel, seed: number): void {
  const values = net.weights.map((w, i) => {
    const name = w.originalName ?? w.name;
    const shape = w.shape as number[];
    if (name.endsWith('moving_variance')) return tf.randomUniform(shape, 0.5, 1.5, 'float32', seed + i);
    if (name.endsWith('gamma')) return tf.randomUniform(shape, 0.7, 1.3, 'float32', seed + i);
    return tf.randomNormal(shape, 0, name.endsWith('kernel') ? 0.15 : 0.1, 'float32', seed + i);
  });
  net.setWeights(values);
  tf.dispose(values);
}

/** Runs `onnx` on `input` (NHWC in the model's range) through ORT; returns NHWC in [0, 1]. */
async function runExported(onnx: Uint8Array, input: tf.Tensor, image: boolean, range: readonly [number, number]): Promise<tf.Tensor> {
  const session = await createOrtSession(onnx, 'test model');
  try {
    const feed = tf.tidy(() => (image ? input.sub(range[0]).div(range[1] - range[0]).transpose([0, 3, 1, 2]) : input));
    const { data, dims } = await runOrt(session, (await feed.data()) as Float32Array, feed.shape);
    feed.dispose();
    return tf.tidy(() => tf.tensor(data, dims).transpose([0, 2, 3, 1]));
  } finally {
    await session.release();
  }
}

async function expectSame(net: tf.LayersModel, input: tf.Tensor, spec: OnnxExportSpec): Promise<number> {
  const onnx = layersModelToOnnx(net, spec);
  const [lo, hi] = spec.outputRange;
  const ours = tf.tidy(() => (net.predict(input) as tf.Tensor).sub(lo).div(hi - lo));
  const range = spec.input.kind === 'image' ? spec.input.range : ([0, 1] as const);
  const theirs = await runExported(onnx, input, spec.input.kind === 'image', range);
  expect(theirs.shape).toEqual(ours.shape);
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(ours, theirs))).dataSync()[0]!);
  tf.dispose([ours, theirs]);
  expect(diff).toBeLessThan(1e-4);
  return diff;
}

const ours = { kind: 'image', range: [-1, 1] } as const;

describe('layersModelToOnnx', () => {
  it('classic MLP GAN generator (Gemm, folded batch norm, ReLU, tanh, reshape to NCHW)', async () => {
    const G = vanillaGenerator({ size: 6, channels: 3, zDim: 16, hidden1: 32, hidden2: 24 }, stepRandom(1));
    randomise(G, 10);
    const z = tf.randomNormal([3, 16], 0, 1, 'float32', 3);
    await expectSame(G, z, { input: { kind: 'latent' }, outputRange: [-1, 1], graphName: 'vanilla_G' });
    tf.dispose(z);
    G.dispose();
  });

  it('DCGAN generator (ConvTranspose k4 s2 same, batch norm on NCHW)', async () => {
    const G = dcganGenerator({ size: 16, channels: 3, zDim: 12, baseFilters: 4, maxFilters: 16 }, stepRandom(2));
    randomise(G, 20);
    const z = tf.randomNormal([2, 12], 0, 1, 'float32', 4);
    await expectSame(G, z, { input: { kind: 'latent' }, outputRange: [-1, 1], graphName: 'dcgan_G' });
    tf.dispose(z);
    G.dispose();
  });

  for (const scale of [2, 3, 4]) {
    it(`ESRGAN-style SR generator ×${scale} (dense blocks, β scaling, DepthToSpace, bilinear residual), odd sizes`, async () => {
      const G = esrganGenerator({ channels: 3, scale, filters: 8, growth: 4, blocks: 1, denseBlocks: 2, globalResidual: true }, stepRandom(scale));
      randomise(G, 30 + scale);
      const x = tf.randomUniform([1, 7, 9, 3], -1, 1, 'float32', 5);
      await expectSame(G, x, { ...{ input: ours, outputRange: [-1, 1] }, graphName: 'esrgan_G' });
      tf.dispose(x);
      G.dispose();
    });
  }

  for (const upsample of ['transpose', 'resize'] as const) {
    it(`CycleGAN ResNet generator, ${upsample} decoder (reflection Pad, InstanceNormalization, strided Conv)`, async () => {
      const G = resnetGenerator({ channels: 3, filters: 4, blocks: 2, upsample, plainEncoderLayers: upsample === 'resize' ? 1 : 0 }, stepRandom(7), 'G_AB');
      randomise(G, 40);
      const x = tf.randomUniform([2, 12, 16, 3], -1, 1, 'float32', 6);
      await expectSame(G, x, { input: ours, outputRange: [-1, 1], graphName: 'G_AB' });
      tf.dispose(x);
      G.dispose();
    });
  }

  it('the shipped esrgan-slim (0–255, UpSampling2D) converts too, and metadata_props say how to feed it', async () => {
    const { model, manifest } = await loadPretrained('esrgan-slim-x2');
    const x = tf.randomUniform([1, 10, 12, 3], 0, 255, 'float32', 8);
    const spec: OnnxExportSpec = { input: { kind: 'image', range: manifest.inputRange }, outputRange: manifest.outputRange, graphName: 'slim', metadata: { [ONNX_META.scale]: '2' } };
    await expectSame(model, x, spec);
    const decoded = onnxProto.onnx.ModelProto.decode(layersModelToOnnx(model, spec));
    const meta = Object.fromEntries(decoded.metadataProps.map((p) => [p.key, p.value]));
    expect(meta).toMatchObject({ [ONNX_META.layout]: 'NCHW', [ONNX_META.inputRange]: '0,1', [ONNX_META.outputRange]: '0,1', [ONNX_META.scale]: '2' });
    expect(Number(decoded.opsetImport[0]!.version)).toBe(17);
    tf.dispose(x);
    model.dispose();
  });

  it('the shipped esrgan-thick (MultiplyBeta, PixelShuffle4x custom layers) converts too', async () => {
    const { model, manifest } = await loadPretrained('esrgan-thick-x4');
    const x = tf.randomUniform([1, 6, 5, 3], 0, 1, 'float32', 9);
    await expectSame(model, x, { input: { kind: 'image', range: manifest.inputRange }, outputRange: manifest.outputRange, graphName: 'thick' });
    tf.dispose(x);
    model.dispose();
  }, 60_000);

  it('refuses a layer it cannot convert, naming it', () => {
    const net = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 2, kernelSize: 3 }), tf.layers.maxPooling2d({ poolSize: 2, name: 'the_pool' })] });
    expect(() => layersModelToOnnx(net, { input: ours, outputRange: [-1, 1], graphName: 'x' })).toThrow(OnnxExportError);
    expect(() => layersModelToOnnx(net, { input: ours, outputRange: [-1, 1], graphName: 'x' })).toThrow(/the_pool is a MaxPooling2D/);
    net.dispose();
  });
});
