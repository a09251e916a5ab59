// Our tfjs RRDBNet / SRVGGNetCompact against a hand-written PyTorch-semantics reference
// (testing/torch-reference.ts) on tiny state dicts the test makes: whole images, the ×2 and ×1
// pixel-unshuffle variants, F16 and BF16 files, the three RRDBNet naming schemes, the tiled
// path, and no leaked tensors. The PyTorch check itself (scripts/esrgan-parity) runs by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareWasm } from '../../engine/wasm-setup.js';
import { silentReporter } from '../../common/reporter.js';
import { upscaleImage } from '../../inference/upscale.js';
import { safetensorsUpscaler } from '../../inference/community-upscaler.js';
import { mulberry32 } from '../../common/prng.js';
import { describeArchitecture, detectArchitecture, type CommunityArchitecture } from './architecture.js';
import { buildCommunityNet, pixelShuffle, pixelUnshuffle } from './networks.js';
import { parseSafetensors, tensorValues } from './safetensors.js';
import { randomStateDict, rrdbArchitecture, srvggArchitecture, stateDictFile, type StateDict } from './testing/state-dict.js';
import { pixelShuffleRef, pixelUnshuffleRef, referenceForward, toChw } from './testing/torch-reference.js';

let dir: string;
beforeAll(async () => {
  await prepareWasm();
  await tf.setBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'gs-community-net-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function image(h: number, w: number, seed = 7): Float32Array {
  const rand = mulberry32(seed);
  return Float32Array.from({ length: h * w * 3 }, () => rand());
}

/** Builds our net from the file bytes, as an import would, and runs one NHWC image. */
function ours(file: Buffer, x: Float32Array, h: number, w: number): { out: Float32Array; shape: number[]; arch: CommunityArchitecture } {
  const parsed = parseSafetensors('tiny.safetensors', file);
  const detected = detectArchitecture('tiny.safetensors', parsed.tensors);
  const net = buildCommunityNet(detected, (n) => tensorValues(parsed, n), (n) => parsed.tensors.get(n)!.shape);
  try {
    const y = tf.tidy(() => net.predict(tf.tensor4d(x, [1, h, w, 3])));
    const out = y.dataSync() as Float32Array;
    const shape = y.shape;
    y.dispose();
    return { out, shape, arch: detected.architecture };
  } finally {
    net.dispose();
  }
}

function maxDiffToReference(a: CommunityArchitecture, dict: StateDict, file: Buffer, h: number, w: number): number {
  const x = image(h, w);
  const { out, shape } = ours(file, x, h, w);
  expect(shape).toEqual([1, h * a.scale, w * a.scale, 3]);
  const ref = referenceForward(a, dict, toChw(x, h, w, 3));
  const got = toChw(out, h * a.scale, w * a.scale, 3);
  let max = 0;
  for (let i = 0; i < ref.data.length; i++) max = Math.max(max, Math.abs(ref.data[i]! - got.data[i]!));
  return max;
}

describe('pixel (un)shuffle in PyTorch channel order', () => {
  it('matches the reference loops', () => {
    const x = Float32Array.from({ length: 4 * 6 * 3 }, (_, i) => i);
    const un = tf.tidy(() => pixelUnshuffle(tf.tensor4d(x, [1, 4, 6, 3]), 2).dataSync());
    expect(Array.from(toChw(un, 2, 3, 12).data)).toEqual(Array.from(pixelUnshuffleRef(toChw(x, 4, 6, 3), 2).data));
    const y = Float32Array.from({ length: 2 * 3 * 12 }, (_, i) => i);
    const sh = tf.tidy(() => pixelShuffle(tf.tensor4d(y, [1, 2, 3, 12]), 2).dataSync());
    expect(Array.from(toChw(sh, 4, 6, 3).data)).toEqual(Array.from(pixelShuffleRef(toChw(y, 2, 3, 12), 2).data));
  });
});

describe('networks against the reference implementation', () => {
  const cases: Array<[string, CommunityArchitecture, number, number]> = [
    ['RRDBNet ×4', rrdbArchitecture({ features: 8, blocks: 2, growth: 4 }), 6, 7],
    ['RRDBNet ×2 (pixel-unshuffle 2)', rrdbArchitecture({ features: 8, blocks: 1, growth: 4, unshuffle: 2 }), 8, 6],
    ['RRDBNet ×1 (pixel-unshuffle 4)', rrdbArchitecture({ features: 8, blocks: 1, growth: 4, unshuffle: 4 }), 8, 12],
    ['SRVGGNetCompact ×4', srvggArchitecture({ features: 8, convs: 3, scale: 4 }), 7, 9],
    ['SRVGGNetCompact ×3', srvggArchitecture({ features: 6, convs: 2, scale: 3 }), 5, 6],
  ];
  for (const [label, a, h, w] of cases) {
    it(`${label}: same output to float rounding`, () => {
      const dict = randomStateDict(a, 3);
      const file = stateDictFile(dict);
      expect(describeArchitecture(ours(file, image(h, w), h, w).arch)).toBe(describeArchitecture(a));
      expect(maxDiffToReference(a, dict, file, h, w)).toBeLessThan(1e-4);
    });
  }

  it('reads F16 and BF16 files (weights rounded to the dtype first, so the reference sees the same values)', () => {
    const a = rrdbArchitecture({ features: 8, blocks: 1, growth: 4 });
    for (const dtype of ['F16', 'BF16'] as const) {
      const exact = stateDictFile(randomStateDict(a, 5), dtype);
      const parsed = parseSafetensors('x', exact);
      const rounded = randomStateDict(a, 5).map((t) => ({ ...t, values: tensorValues(parsed, t.name) }));
      expect(maxDiffToReference(a, rounded, exact, 6, 6)).toBeLessThan(1e-4);
    }
  });

  it('gives the same output under the ESRGAN repository and old sequential names', () => {
    const a = rrdbArchitecture({ features: 8, blocks: 2, growth: 4 });
    const dict = randomStateDict(a, 9);
    const esrgan = (n: string) => n.replace(/^body\.(\d+)\.rdb(\d)/, 'RRDB_trunk.$1.RDB$2').replace('conv_body', 'trunk_conv').replace(/conv_up(\d)/, 'upconv$1').replace('conv_hr', 'HRconv');
    const old = (n: string) => n.replace(/^body\.(\d+)\.rdb(\d)\.conv(\d)\./, 'model.1.sub.$1.RDB$2.conv$3.0.').replace('conv_first', 'model.0').replace('conv_body', 'model.1.sub.2')
      .replace('conv_up1', 'model.3').replace('conv_up2', 'model.6').replace('conv_hr', 'model.8').replace('conv_last', 'model.10');
    const x = image(5, 5);
    const base = ours(stateDictFile(dict), x, 5, 5).out;
    for (const rename of [esrgan, old, (n: string) => `params_ema.${n}`]) {
      const other = ours(stateDictFile(dict, 'F32', rename), x, 5, 5);
      expect(describeArchitecture(other.arch)).toBe('RRDBNet, 2 blocks, 8 features, growth 4, ×4');
      expect(Array.from(other.out)).toEqual(Array.from(base));
    }
  });
});

describe('through the tiled upscaler', () => {
  it('tiled equals whole when the overlap covers the receptive field, and leaks no tensors', async () => {
    const a = srvggArchitecture({ features: 8, convs: 2, scale: 2 });
    const path = join(dir, 'srvgg.safetensors');
    await writeFile(path, stateDictFile(randomStateDict(a, 11)));
    const model = await safetensorsUpscaler(path);
    const rand = mulberry32(4);
    const img = { data: Uint8Array.from({ length: 40 * 36 * 3 }, () => Math.floor(rand() * 256)), width: 40, height: 36, channels: 3 as const };
    const ctx = { signal: new AbortController().signal, report: silentReporter };
    const whole = await upscaleImage(model, img, { tile: 64 }, ctx);
    const before = tf.memory().numTensors;
    // 4 convs see 4 pixels each side; a quarter of a 24-pixel overlap (6) is discarded
    const tiled = await upscaleImage(model, img, { tile: 32, overlap: 24 }, ctx);
    expect(tf.memory().numTensors).toBe(before);
    expect([tiled.width, tiled.height]).toEqual([80, 72]);
    let max = 0;
    for (let i = 0; i < whole.data.length; i++) max = Math.max(max, Math.abs(whole.data[i]! - tiled.data[i]!));
    expect(max).toBeLessThanOrEqual(1);
    model.dispose();
  });
});
