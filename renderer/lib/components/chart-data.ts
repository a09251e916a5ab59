// Turns metric points (one or many runs) into uPlot's aligned columns: x = every step seen,
// one y column per (run, metric), null where a run has no value at that step.
export interface ChartRun {
  label: string;
  points: Array<{ step: number; values: Record<string, number> }>;
}

export interface ChartSeries {
  label: string;
  run: string;
  key: string;
  last: number | null;
}

export function metricKeys(runs: ChartRun[], filter: (key: string) => boolean = (k) => k.startsWith('loss/')): string[] {
  const keys = new Set<string>();
  for (const run of runs) for (const p of run.points) for (const k of Object.keys(p.values)) if (filter(k)) keys.add(k);
  return [...keys].sort();
}

/** Exponential moving average that skips gaps, like TensorBoard's smoothing slider. */
export function smooth(values: Array<number | null>, weight: number): Array<number | null> {
  if (weight <= 0) return values;
  let last: number | null = null;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    last = last === null ? v : last * weight + v * (1 - weight);
    return last;
  });
}

export function toAligned(runs: ChartRun[], keys: string[], smoothing = 0): { data: Array<Array<number | null>>; series: ChartSeries[] } {
  const steps = [...new Set(runs.flatMap((r) => r.points.map((p) => p.step)))].sort((a, b) => a - b);
  const index = new Map(steps.map((s, i) => [s, i]));
  const data: Array<Array<number | null>> = [steps];
  const series: ChartSeries[] = [];
  for (const run of runs) {
    for (const key of keys) {
      if (!run.points.some((p) => key in p.values)) continue;
      const column: Array<number | null> = new Array(steps.length).fill(null);
      let last: number | null = null;
      for (const p of run.points) {
        const v = p.values[key];
        if (v === undefined || !Number.isFinite(v)) continue;
        column[index.get(p.step)!] = v;
        last = v;
      }
      data.push(smooth(column, smoothing));
      series.push({ label: runs.length > 1 ? `${run.label} · ${key}` : key, run: run.label, key, last });
    }
  }
  return { data, series };
}
