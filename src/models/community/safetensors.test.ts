// The safetensors reader and the architecture detection refuse every malformed or mismatched
// file with an error naming the file and the tensor: headers that lie about offsets, overlap or
// leave gaps, truncated data, huge headers, unknown dtypes, unknown keys and wrong shapes.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../contract/errors.js';
import { describeArchitecture, detectArchitecture } from './architecture.js';
import { encodeSafetensors, MAX_HEADER_BYTES, parseSafetensors, tensorValues } from './safetensors.js';
import { randomStateDict, rrdbArchitecture, srvggArchitecture, stateDictFile } from './testing/state-dict.js';

const FILE = '/models/x.safetensors';

/** A file from a raw header object and `dataBytes` zero bytes. */
function raw(header: unknown, dataBytes: number): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json, Buffer.alloc(dataBytes)]);
}

function errorOf(f: () => unknown): AppError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an error');
}

const parseError = (buf: Buffer) => errorOf(() => parseSafetensors(FILE, buf));

describe('parseSafetensors', () => {
  it('round-trips F32, F16 and BF16 values and keeps the metadata', () => {
    const values = [0, 1, -2.5, 0.1, 65504, 1e-5];
    for (const dtype of ['F32', 'F16', 'BF16'] as const) {
      const f = parseSafetensors(FILE, encodeSafetensors([{ name: 'w', shape: [2, 3], values }], dtype, { format: 'pt' }));
      expect(f.metadata).toEqual({ format: 'pt' });
      const got = Array.from(tensorValues(f, 'w'));
      const tolerance = dtype === 'F32' ? 1e-7 : dtype === 'F16' ? 1e-3 : 1e-2;
      got.forEach((v, i) => expect(Math.abs(v - values[i]!)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(values[i]!))));
    }
  });

  it('refuses lying, overlapping, gapped and truncated layouts, naming the tensor and the file', () => {
    const w = (offsets: number[], shape = [2]) => ({ dtype: 'F32', shape, data_offsets: offsets });
    const cases: Array<[Buffer, RegExp]> = [
      [raw({ a: w([0, 12]) }, 12), /tensor a of shape \[2\] F32 needs 8 bytes but its offsets span 12/],
      [raw({ a: w([0, 8]), b: w([4, 12]) }, 12), /tensor b .* overlaps the tensor before it/],
      [raw({ a: w([0, 8]), b: w([12, 20]) }, 20), /4 unclaimed bytes before tensor b/],
      [raw({ a: w([0, 8]), b: w([8, 16]) }, 12), /tensor b ends at byte 16 of the data but the file holds only 12; the file is truncated/],
      [raw({ a: w([0, 8]) }, 12), /holds 12 bytes but the tensors claim 8/],
      [raw({ a: w([8, 0]) }, 8), /tensor a has data_offsets \[8,0\]/],
      [raw({ a: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, 8), /tensor a is I64; only F32, F16 and BF16/],
      [raw({ a: w([0, 8], [2, -1]) }, 8), /tensor a has shape \[2,-1\]/],
      [raw({ a: w([0, 8], [1e300 as number]) }, 8), /tensor a has shape/],
      [raw({ __metadata__: { n: 1 } }, 0), /__metadata__ must map names to strings/],
      [raw([1, 2], 0), /does not start with "{"/],
      [raw({ a: null }, 0), /tensor a: its header entry is not an object/],
    ];
    for (const [buf, message] of cases) {
      const e = parseError(buf);
      expect(e.code).toBe('MODEL_INVALID');
      expect(e.message).toContain(FILE);
      expect(e.message).toMatch(message);
    }
  });

  it('refuses a huge or truncated header and files that are not safetensors', () => {
    const huge = Buffer.alloc(16);
    huge.writeBigUInt64LE(BigInt(MAX_HEADER_BYTES) + 1n);
    expect(parseError(huge).message).toMatch(/header claims \d+ bytes; at most/);
    const cut = stateDictFile(randomStateDict(srvggArchitecture({ features: 4, convs: 1, scale: 2 })));
    expect(parseError(cut.subarray(0, 40)).message).toMatch(/truncated|not JSON/);
    expect(parseError(cut.subarray(0, cut.length - 3)).message).toMatch(/truncated/);
    expect(parseError(Buffer.from('PK\u0003\u0004 a zip, not weights')).message).toMatch(/header claims|not a .safetensors/);
    expect(parseError(Buffer.alloc(4)).message).toMatch(/too short/);
    const notJson = Buffer.concat([Buffer.from([5, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{oops')]);
    expect(parseError(notJson).message).toMatch(/not JSON/);
  });

  it('refuses non-finite weights when decoded', () => {
    const f = parseSafetensors(FILE, encodeSafetensors([{ name: 'body.0.weight', shape: [2], values: [1, NaN] }]));
    expect(errorOf(() => tensorValues(f, 'body.0.weight')).message).toMatch(/tensor body.0.weight holds a non-finite value at index 1/);
  });
});

describe('detectArchitecture', () => {
  const shapes = (buf: Buffer) => parseSafetensors(FILE, buf).tensors;

  it('finds the sizes of RRDBNet (×4, ×2, ×1) and SRVGGNetCompact', () => {
    const cases = [
      [rrdbArchitecture({ features: 16, blocks: 3, growth: 8 }), 'RRDBNet, 3 blocks, 16 features, growth 8, ×4'],
      [rrdbArchitecture({ features: 8, blocks: 1, growth: 32, unshuffle: 2 }), 'RRDBNet, 1 block, 8 features, pixel-unshuffle 2, ×2'],
      [rrdbArchitecture({ features: 8, blocks: 1, growth: 32, unshuffle: 4 }), 'RRDBNet, 1 block, 8 features, pixel-unshuffle 4, ×1'],
      [srvggArchitecture({ features: 8, convs: 4, scale: 4 }), 'SRVGGNetCompact, 4 convs, 8 features, PReLU, ×4'],
    ] as const;
    for (const [a, text] of cases) {
      const found = detectArchitecture(FILE, shapes(stateDictFile(randomStateDict(a))));
      expect(found.architecture).toEqual(a);
      expect(describeArchitecture(found.architecture)).toBe(text);
    }
  });

  it('names the tensor that does not belong, is missing or has the wrong shape', () => {
    const a = rrdbArchitecture({ features: 8, blocks: 2, growth: 4 });
    const dict = randomStateDict(a);
    const withExtra = [...dict, { name: 'body.0.rdb1.attention.weight', shape: [2], values: new Float32Array(2) }];
    expect(errorOf(() => detectArchitecture(FILE, shapes(stateDictFile(withExtra)))).message).toMatch(/tensor body.0.rdb1.attention.weight is not part of a RRDBNet, 2 blocks/);
    const missing = dict.filter((t) => t.name !== 'body.1.rdb3.conv2.bias');
    expect(errorOf(() => detectArchitecture(FILE, shapes(stateDictFile(missing)))).message).toMatch(/tensor body.1.rdb3.conv2.bias is missing/);
    const wrong = dict.map((t) => (t.name === 'conv_hr.weight' ? { ...t, shape: [8, 8, 1, 9] } : t));
    const e = errorOf(() => detectArchitecture(FILE, shapes(stateDictFile(wrong))));
    expect(e.message).toContain(FILE);
    expect(e.message).toMatch(/tensor conv_hr.weight has shape \[8, 8, 1, 9\]; a RRDBNet.* needs \[8, 8, 3, 3\]/);
    const stranger = stateDictFile([{ name: 'encoder.layer.0.weight', shape: [2], values: new Float32Array(2) }]);
    expect(errorOf(() => detectArchitecture(FILE, shapes(stranger))).message).toMatch(/not an RRDBNet .* nor an SRVGGNetCompact .*encoder.layer.0.weight/);
  });
});
