// How `train`, `generate` and `interpolate` show progress: a one-line bar with rate and ETA on a
// terminal, plain lines otherwise, and one JSON object per line with --json.
import type { CliIo } from '../command.js';
import type { Reporter } from '../../jobs/reporter.js';

function clock(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function cliReporter(io: CliIo, json: boolean, opts: { imagesPerUnit?: number } = {}): Reporter & { finish(): void } {
  const perUnit = opts.imagesPerUnit ?? 1;
  let lastMetrics: Record<string, number> = {};
  let lastJsonProgress = 0;
  let barShown = false;
  const clearBar = () => {
    if (barShown) process.stdout.write('\r\x1b[2K');
    barShown = false;
  };
  const line = (text: string) => {
    clearBar();
    io.out(text);
  };
  return {
    progress(p) {
      if (json) {
        const now = Date.now();
        if (now - lastJsonProgress < 500 && p.done < p.total) return;
        lastJsonProgress = now;
        io.out(JSON.stringify({ event: 'progress', done: p.done, total: p.total, unit: p.unit, rate: p.rate ?? null, eta: p.eta ?? null }));
        return;
      }
      if (!io.tty) return;
      const width = 28;
      const filled = Math.round((p.done / Math.max(1, p.total)) * width);
      const images = p.rate ? `${(p.rate * perUnit).toFixed(1)} img/s` : '';
      const losses = ['loss/G', 'loss/D'].filter((k) => k in lastMetrics).map((k) => `${k} ${lastMetrics[k]!.toFixed(3)}`).join(' ');
      process.stdout.write(`\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} ${p.unit}s ${images} ETA ${clock(p.eta)} ${losses}`);
      barShown = true;
    },
    metrics(step, values) {
      lastMetrics = values;
      if (json) io.out(JSON.stringify({ event: 'metrics', step, values }));
      else if (!io.tty) io.out(`step ${step} ${Object.entries(values).map(([k, v]) => `${k}=${Number(v.toPrecision(4))}`).join(' ')}`);
    },
    sample(step, path) {
      if (json) io.out(JSON.stringify({ event: 'sample', step, path }));
    },
    log(level, message) {
      if (json) io.out(JSON.stringify({ event: 'log', level, message }));
      else if (level !== 'info' || !io.tty) line(`${level === 'info' ? '' : level + ': '}${message}`);
    },
    finish: clearBar,
  };
}
