// A rough time per 1,000 steps before a run starts. Preferred source: a finished run with the
// same model, preset and backend (its measured speed). Otherwise: the step's FLOPs divided by the
// backend's measured matmul GFLOP/s times an efficiency factor. GAN steps reach roughly 30% of
// the matmul probe (DCGAN-32: ~0.9 GFLOP per image per step, ~10 images/s on wasm probing ~30).
import type { RunSummary } from '../../src/contract/index.js';

const BATCH: Record<string, number> = { tiny: 8, small: 32, default: 64 };
/** GFLOP per image per training step (forward + backward of every network involved). */
const GFLOP_PER_IMAGE: Record<string, Record<string, number>> = {
  vanilla: { tiny: 0.002, small: 0.006, default: 0.012 },
  dcgan: { tiny: 0.05, small: 0.4, default: 0.9 },
  esrgan: { tiny: 0.3, small: 1.5, default: 6 },
  cyclegan: { tiny: 0.6, small: 4, default: 20 },
};
const EFFICIENCY = 0.3;

export interface Estimate {
  secondsPer1000: number;
  basis: string;
}

export function estimatePer1000(opts: { model: string; preset: string; batch?: number; backend: string | null; gflops?: number; runs?: RunSummary[] }): Estimate | null {
  const similar = opts.runs?.find((r) => r.model === opts.model && r.spec.preset === opts.preset && r.backend === opts.backend && r.step > 0 && rateOf(r) > 0);
  if (similar) return { secondsPer1000: 1000 / rateOf(similar), basis: `measured on “${similar.name}”` };
  const perImage = GFLOP_PER_IMAGE[opts.model]?.[opts.preset];
  if (!perImage || !opts.gflops) return null;
  const batch = opts.batch ?? BATCH[opts.preset] ?? 32;
  const secondsPerStep = (perImage * batch) / (opts.gflops * EFFICIENCY);
  return { secondsPer1000: secondsPerStep * 1000, basis: `rough estimate from ${opts.backend ?? 'backend'} speed (${Math.round(opts.gflops)} GFLOP/s)` };
}

/** Steps per second a run reported, from its last metrics. */
export function rateOf(run: RunSummary): number {
  const m = run.lastMetrics;
  return m['perf/stepsPerSec'] ?? m['perf/steps_per_s'] ?? (m['perf/imagesPerSec'] && run.spec.batch ? m['perf/imagesPerSec'] / run.spec.batch : 0);
}

/** Images per second, from metrics when reported, else from the step rate and batch size. */
export function imagesPerSecond(metrics: Record<string, number>, stepRate: number | undefined, batch: number | undefined): number | null {
  for (const key of Object.keys(metrics)) if (/images?[_/]?per[_/]?s|imagesPerSec|img\/s/i.test(key)) return metrics[key];
  return stepRate && batch ? stepRate * batch : null;
}
