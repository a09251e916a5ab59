// Randomness derived from (run seed, purpose, step) instead of hidden global RNG state, so a run
// resumed at step N draws exactly what the uninterrupted run drew at N (exact resume).
import type { StepRandom } from './types.js';

/** 32-bit FNV-1a over a string: stable across processes and platforms. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** murmur3's finaliser: spreads nearby inputs (step 7 vs 8) over the whole range. */
function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function stepRandom(seed: number): StepRandom {
  return {
    stepSeed(purpose: string, step: number): number {
      const h = mix32(fnv1a(purpose) ^ mix32(seed + 0x9e3779b9) ^ mix32(Math.imul(step + 1, 0x27d4eb2f)));
      // tfjs seeds go through seedrandom as strings; keep them positive 31-bit integers.
      return h & 0x7fffffff;
    },
  };
}
