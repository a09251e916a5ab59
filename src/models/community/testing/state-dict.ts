// Small RRDBNet / SRVGGNetCompact state dicts with seeded random weights, written as safetensors:
// tests and the PyTorch parity check make their own models instead of downloading any.
import { mulberry32 } from '../../../common/prng.js';
import { expectedTensors, type CommunityArchitecture } from '../architecture.js';
import { encodeSafetensors, type SafetensorsDtype } from '../safetensors.js';

export type StateDict = Array<{ name: string; shape: number[]; values: Float32Array }>;

/** A Real-ESRGAN RRDBNet of the given sizes (×4 unless `unshuffle` makes it ×2 or ×1). */
export function rrdbArchitecture(o: { features: number; blocks: number; growth: number; unshuffle?: number; upsamples?: number; channels?: number }): CommunityArchitecture {
  const unshuffle = o.unshuffle ?? 1;
  const upsamples = o.upsamples ?? 2;
  const ch = o.channels ?? 3;
  return { type: 'rrdbnet', inChannels: ch, outChannels: ch, features: o.features, blocks: o.blocks, growth: o.growth, upsamples, unshuffle, scale: 2 ** upsamples / unshuffle };
}

export function srvggArchitecture(o: { features: number; convs: number; scale: number }): CommunityArchitecture {
  return { type: 'srvgg', inChannels: 3, outChannels: 3, features: o.features, convs: o.convs, scale: o.scale };
}

/**
 * Weights scaled like PyTorch's default init (uniform ±1/√fan-in) times `gain`, biases small, PReLU
 * slopes near 0.25 — outputs stay in a sensible range through a few blocks.
 */
export function randomStateDict(a: CommunityArchitecture, seed = 1, gain = 1): StateDict {
  const rand = mulberry32(seed);
  return expectedTensors(a).map(([name, shape]) => {
    const n = shape.reduce((p, d) => p * d, 1);
    const values = new Float32Array(n);
    const fanIn = shape.length === 4 ? shape[1]! * shape[2]! * shape[3]! : 1;
    const isPrelu = a.type === 'srvgg' && shape.length === 1 && /^body\.\d*[13579]\.weight$/.test(name);
    for (let i = 0; i < n; i++) {
      const u = rand() * 2 - 1;
      values[i] = isPrelu ? 0.25 + 0.1 * u : shape.length === 4 ? (gain * u) / Math.sqrt(fanIn) : 0.05 * u;
    }
    return { name, shape, values };
  });
}

/** The state dict as a .safetensors file; `rename` maps BasicSR names to another naming scheme. */
export function stateDictFile(dict: StateDict, dtype: SafetensorsDtype = 'F32', rename: (name: string) => string = (n) => n): Buffer {
  return encodeSafetensors(dict.map((t) => ({ ...t, name: rename(t.name) })), dtype, { format: 'pt' });
}
