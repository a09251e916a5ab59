// Time per 1,000 steps before a run starts. Best source: the measured speed of the most similar
// past run on the same backend (same model; then the closest preset, size and batch, scaled by
// the work per step). Without one: the step's FLOPs over the backend's measured GFLOP/s (the probe
// system:info runs) times an efficiency factor — GAN steps reach roughly 30% of the matmul probe.
import type { RunSummary } from '../../src/contract/index.js';
import { formatInteger } from './format.js';
import { t } from './i18n.svelte.js';

type Shape = { size: number; batch: number };
/** Each preset's image size and batch, as declared in src/models/<family>/index.ts. */
const PRESET_SHAPES: Record<string, Record<string, Shape>> = {
  vanilla: { tiny: { size: 8, batch: 8 }, small: { size: 28, batch: 32 }, default: { size: 28, batch: 64 } },
  dcgan: { tiny: { size: 16, batch: 4 }, small: { size: 32, batch: 32 }, default: { size: 32, batch: 64 } },
  esrgan: { tiny: { size: 12, batch: 2 }, small: { size: 32, batch: 8 }, default: { size: 96, batch: 16 } },
  cyclegan: { tiny: { size: 32, batch: 2 }, small: { size: 64, batch: 4 }, default: { size: 256, batch: 1 } },
};
/** GFLOP per image per training step at the preset's size (forward + backward of every network). */
const GFLOP_PER_IMAGE: Record<string, Record<string, number>> = {
  vanilla: { tiny: 0.002, small: 0.006, default: 0.012 },
  dcgan: { tiny: 0.05, small: 0.4, default: 0.9 },
  esrgan: { tiny: 0.3, small: 1.5, default: 6 },
  cyclegan: { tiny: 0.6, small: 4, default: 20 },
};
const EFFICIENCY = 0.3;

export interface Estimate {
  secondsPer1000: number;
  /** 'run': a run with the same settings; 'scaled': a similar run scaled to these settings; 'estimated': from the backend's speed */
  source: 'run' | 'scaled' | 'estimated';
  /** the run the figure comes from */
  runId?: string;
  basis: string;
}

export interface EstimateInput {
  model: string;
  preset: string;
  size?: number;
  batch?: number;
  backend: string | null;
  gflops?: number;
  runs?: RunSummary[];
}

/** The size and batch a spec trains at: its own values, else its preset's. */
export function shapeOf(model: string, preset: string, size?: number, batch?: number): Shape | null {
  const base = PRESET_SHAPES[model]?.[preset];
  if (!base && (!size || !batch)) return null;
  return { size: size ?? base!.size, batch: batch ?? base!.batch };
}

/** Pixels processed per step: the work a step does grows with it (convolutions are linear in it). */
function workOf(s: Shape): number {
  return s.size * s.size * s.batch;
}

export function estimatePer1000(opts: EstimateInput): Estimate | null {
  const wanted = shapeOf(opts.model, opts.preset, opts.size, opts.batch);
  const candidates = (opts.runs ?? [])
    // runs trained from the CLI may not record their backend: usable, but after any that match it
    .filter((r) => r.model === opts.model && (r.backend === opts.backend || r.backend === null) && !r.trashed && secondsPerStep(r) > 0)
    .map((r) => ({ run: r, shape: shapeOf(r.model, r.spec.preset, r.spec.size, r.spec.batch) }));
  // the closest run first: same preset, then the smallest difference in work per step, then the newest
  const distance = (c: (typeof candidates)[number]) =>
    (c.run.spec.preset === opts.preset ? 0 : 10) + (c.run.backend === opts.backend ? 0 : 3) + (wanted && c.shape ? Math.abs(Math.log(workOf(c.shape) / workOf(wanted))) : 5);
  candidates.sort((a, b) => distance(a) - distance(b) || b.run.updatedAt - a.run.updatedAt);
  const best = candidates[0];
  if (best) {
    const measured = secondsPerStep(best.run) * 1000;
    const on = best.run.backend ? t('train.basis.onBackend', { backend: best.run.backend }) : t('train.basis.noBackend');
    const same = best.run.spec.preset === opts.preset && !!wanted && !!best.shape && best.shape.size === wanted.size && best.shape.batch === wanted.batch;
    if (same) return { secondsPer1000: measured, source: 'run', runId: best.run.id, basis: t('train.basis.fromRun', { name: best.run.name, steps: formatInteger(best.run.step), on }) };
    if (wanted && best.shape) {
      return {
        secondsPer1000: measured * (workOf(wanted) / workOf(best.shape)), source: 'scaled', runId: best.run.id,
        basis: t('train.basis.scaledFromRun', { name: best.run.name, size: best.shape.size, batch: best.shape.batch, wantedSize: wanted.size, wantedBatch: wanted.batch, on }),
      };
    }
  }
  const perImage = GFLOP_PER_IMAGE[opts.model]?.[opts.preset];
  if (!perImage || !opts.gflops || !wanted) return null;
  const base = PRESET_SHAPES[opts.model]![opts.preset]!;
  const gflopPerStep = perImage * ((wanted.size * wanted.size) / (base.size * base.size)) * wanted.batch;
  return {
    secondsPer1000: (gflopPerStep / (opts.gflops * EFFICIENCY)) * 1000, source: 'estimated',
    basis: t('train.basis.fromBackend', { backend: opts.backend ?? t('train.basis.chosenBackend'), gflops: Math.round(opts.gflops) }),
  };
}

/** Seconds per step a run last reported (the trainer's `step_ms`, or derived from images/s). */
export function secondsPerStep(run: RunSummary): number {
  const m = run.lastMetrics;
  if (m.step_ms && m.step_ms > 0) return m.step_ms / 1000;
  const images = m.images_per_s;
  const batch = shapeOf(run.model, run.spec.preset, run.spec.size, run.spec.batch)?.batch;
  return images && images > 0 && batch ? batch / images : 0;
}

/** Images per second, from metrics when reported, else from the step rate and batch size. */
export function imagesPerSecond(metrics: Record<string, number>, stepRate: number | undefined, batch: number | undefined): number | null {
  for (const key of Object.keys(metrics)) if (/images?[_/]?per[_/]?s|imagesPerSec|img\/s/i.test(key)) return metrics[key];
  return stepRate && batch ? stepRate * batch : null;
}
