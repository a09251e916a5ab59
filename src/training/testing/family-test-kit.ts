// The checks every generation family's test runs (CONVENTIONS.md #7): output shapes, finite
// losses, a flat tensor count after a warm-up step, and save → load giving identical outputs.
// Test-only: imports vitest, so production code never imports this file.
import { expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { TrainSpec, type TrainSpecInput } from '../../contract/runs.js';
import { getFamily } from '../../models/index.js';
import { restoreModel, serializeModel } from '../checkpoint-format.js';
import { memoryBatchSource } from '../memory-source.js';
import { stepRandom } from '../../models/step-random.js';

/** Random images in [-1, 1] with a little structure (a bright square), NHWC. */
export function syntheticImages(count: number, size: number, channels: number, seed = 1): tf.Tensor4D {
  return tf.tidy(() => {
    const noise = tf.randomUniform([count, size, size, channels], -1, 1, 'float32', seed);
    const half = Math.max(1, Math.floor(size / 2));
    const square = tf.pad(tf.ones([count, half, half, channels]), [[0, 0], [0, size - half], [0, size - half], [0, 0]]);
    return tf.clipByValue(tf.add(tf.mul(noise, 0.3), tf.mul(square, 0.7)), -1, 1) as tf.Tensor4D;
  });
}

export async function expectFamilyBasics(familyId: string, overrides: Partial<TrainSpecInput> = {}, steps = 3): Promise<void> {
  const family = getFamily(familyId);
  const spec = family.resolve(TrainSpec.parse({ task: family.task, model: familyId, preset: 'tiny', ...overrides }));
  const model = family.create(spec, stepRandom(7));
  const source = memoryBatchSource(syntheticImages(spec.batch * 3, spec.size, spec.channels), family.batchKeys, 1);
  try {
    const g = model.networks.G;
    if (g) expect(g.outputs[0]!.shape).toEqual([null, spec.size, spec.size, spec.channels]);
    const grid = model.sampleGrid(null);
    expect(grid.rank).toBe(3);
    expect(grid.shape[2]).toBe(spec.channels);
    const [lo, hi] = [grid.min().dataSync()[0]!, grid.max().dataSync()[0]!];
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    grid.dispose();

    const runStep = (step: number) => {
      const batch = source.next(spec.batch);
      const scalars = model.trainStep(batch, step);
      tf.dispose(Object.values(batch));
      return scalars;
    };
    tf.dispose(Object.values(runStep(0))); // warm-up: optimizers create their slots here
    const before = tf.memory().numTensors;
    for (let step = 1; step <= steps; step++) {
      const scalars = runStep(step);
      expect(Object.keys(scalars).sort()).toEqual([...model.lossNames].sort());
      for (const [name, t] of Object.entries(scalars)) expect(Number.isFinite(t.dataSync()[0]), `${name} is finite`).toBe(true);
      tf.dispose(Object.values(scalars));
    }
    expect(tf.memory().numTensors).toBe(before);

    // save → load into a fresh model (same seed, so untrained weights) → identical outputs
    const { tensors, buffer } = await serializeModel(model);
    const copy = family.create(spec, stepRandom(7));
    try {
      const fresh = copy.sampleGrid(null);
      const trained = model.sampleGrid(null);
      expect(Array.from(fresh.dataSync()), 'training changed the samples').not.toEqual(Array.from(trained.dataSync()));
      tf.dispose([fresh, trained]);
      await restoreModel(copy, tensors, buffer, { optimizers: true });
      for (const [name, net] of Object.entries(model.networks)) {
        const input = tf.randomNormal([2, ...(net.inputs[0]!.shape.slice(1) as number[])], 0, 1, 'float32', 5);
        const a = net.predict(input) as tf.Tensor;
        const b = copy.networks[name]!.predict(input) as tf.Tensor;
        expect(Array.from(b.dataSync()), `network ${name}`).toEqual(Array.from(a.dataSync()));
        tf.dispose([input, a, b]);
      }
      const gridA = model.sampleGrid(null);
      const gridB = copy.sampleGrid(null);
      expect(Array.from(gridB.dataSync())).toEqual(Array.from(gridA.dataSync()));
      tf.dispose([gridA, gridB]);
    } finally {
      copy.dispose();
    }
  } finally {
    model.dispose();
    source.dispose();
  }
}
