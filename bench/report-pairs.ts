// BENCHMARKS.md's issue #20 targets and the yardstick-pair sections: ours against PyTorch on the
// same network, from bench/pairs.ts results only (both sides alternated in one run), each ratio
// naming the pairs it came from, busy runs shown but never counted.
import { fmt, load, num, objOf, rowsOf, table, type Row, type Stored } from './report-format.js';

export const PAIR_SUITES = [
  { suite: 'pytorch-dcgan-pair', target: 'DCGAN-32 training, batch 64 (images/s)', stretch: 1.5 },
  { suite: 'pytorch-cyclegan-pair', target: 'CycleGAN `small` training step (steps/s)', stretch: undefined },
  { suite: 'pytorch-esrgan-pair', target: 'ESRGAN `small` training step (steps/s)', stretch: undefined },
] as const;

/**
 * What was known before any alternated run (issue #20): measured on an idle machine, the suites
 * one after the other, not alternated — quoted, not counted.
 */
const BEFORE: Record<string, string> = {
  'pytorch-dcgan-pair': 'not yet measured on an idle machine; issue #20 measured 0.44× by default (tfjs wasm 1 thread, 51.8 img/s) and 0.68× with `GAN_STUDIO_WASM_THREADS=2` (62.2 img/s) against PyTorch 1.13 on 2 threads (117.7 img/s), idle, run one after the other (source: issue #20 and ../shared/TOOLCHAIN.md, 2026-12-04)',
};

/** "2026-12-04T14:00:01Z pairs #1–#3": which alternated rounds a ratio came from. */
export function pairIds(pairs: unknown): string {
  const ids = (Array.isArray(pairs) ? pairs : []).map(String);
  if (!ids.length) return '—';
  const run = ids[0]!.split('#')[0]!.replace(/\.\d+Z$/, 'Z');
  const rounds = ids.map((id) => Number(id.split('#')[1]));
  return `run ${run}, pairs #${Math.min(...rounds)}–#${Math.max(...rounds)}`;
}

interface Best {
  side: Row;
  ratio: Row;
}

/** Our fastest side (the best CPU path) and its ratio to PyTorch. */
function bestOf(data: Row): Best | null {
  const sides = rowsOf(data.sides);
  const ratios = rowsOf(data.ratios).filter((r) => num(r.ratio) !== null);
  const best = ratios.sort((a, b) => Number(b.ratio) - Number(a.ratio))[0];
  const side = best && sides.find((s) => s.id === best.side);
  return best && side ? { side, ratio: best } : null;
}

const spread = (s: Row) => (num(s.min) === null ? '' : ` (${fmt(num(s.min))}–${fmt(num(s.max))})`);

export function pairTargetsSection(dir: string): string[] {
  const rows = PAIR_SUITES.map(({ suite, target, stretch }) => {
    const goal = `≥ 1.0×${stretch ? ` (stretch ${stretch}×)` : ''}`;
    const r = load<Stored>(dir, suite);
    const data = r?.ok ? objOf(r.data) : null;
    const best = data ? bestOf(data) : null;
    if (!r || !data || !best) {
      const why = r && !r.ok ? `failed: ${String(r.error ?? '').slice(0, 100)}` : BEFORE[suite] ?? 'not yet measured on an idle machine';
      return [target, goal, '—', '—', why, '—', '—', 'not measured'];
    }
    const torch = rowsOf(data.sides).find((s) => s.id === 'pytorch') ?? {};
    const ratio = Number(best.ratio.ratio);
    const ratioText = `${ratio.toFixed(2)}×${num(best.ratio.min) !== null ? ` (rounds ${Number(best.ratio.min).toFixed(2)}–${Number(best.ratio.max).toFixed(2)})` : ''}`;
    const busy = r.busy === true;
    const status = busy ? 'busy run: **excluded**, not measured on an idle machine'
      : ratio >= (stretch ?? Infinity) ? '**met** (stretch too)' : ratio >= 1 ? '**met**' : 'not met';
    return [
      target, goal,
      `${fmt(num(best.side.median))}${spread(best.side)}, ${String(best.side.label)}`,
      `${fmt(num(torch.median))}${spread(torch)}, ${String(torch.label ?? 'PyTorch')}`,
      ratioText + (r.quick ? ' (quick run)' : ''),
      pairIds(best.ratio.pairs),
      busy ? `**yes** (load ${r.loadAvg ?? '?'} at start, others used ${String(r.foreignCores ?? data.maxForeignCores ?? '?')} cores)` : `no (load ${r.loadAvg ?? '?'}, others ${r.foreignCores ?? '?'} cores)`,
      status,
    ];
  });
  return ['## Targets (issue #20): CPU training speed against PyTorch, alternated', '',
    'Ours (the best CPU path: the app\'s default thread count or one thread, whichever was faster) and PyTorch train the same network (equal parameter counts, checked) on this machine, **alternated in one run** (`bench/pairs.ts`: Y O O Y …, at least three rounds); figures are medians with the min–max over rounds, the ratio is of the medians. A run is **busy** when the 1-minute load average was above 0.5 at its start or other processes used more than 0.25 cores while it ran; busy runs never count.', '',
    ...table(['target', 'goal', 'ours (median, range)', 'PyTorch (median, range)', 'ratio', 'from', 'busy', 'status'], rows), ''];
}

export function pairSection(data: Row): string[] {
  const unit = String(data.unit ?? '');
  const sides = rowsOf(data.sides).map((s) => [String(s.label), fmt(s.threads), fmt(num(s.median)), `${fmt(num(s.min))}–${fmt(num(s.max))}`, fmt(s.runs)]);
  const ratios = rowsOf(data.ratios).map((r) => {
    const label = String(rowsOf(data.sides).find((s) => s.id === r.side)?.label ?? r.side);
    const rounds = rowsOf(r.perRound).map((p) => `#${String(p.pair).split('#')[1]} ${Number(p.ratio).toFixed(2)}×`).join(', ');
    return [label, num(r.ratio) === null ? '—' : `${Number(r.ratio).toFixed(2)}×`, rounds || '—', pairIds(r.pairs)];
  });
  const params = objOf(data.params);
  const errors = Array.isArray(data.errors) ? data.errors.map(String) : [];
  return [
    `${fmt(data.rounds)} rounds, alternated; ${unit}, median and range over rounds. Parameters trained: ours ${fmt(params.ours)}, PyTorch ${fmt(params.pytorch)}. Yardstick: \`bench/pytorch_yardsticks.py --net ${String(data.net)}\` (Debian's python3-torch).`, '',
    ...table(['side', 'threads', `${unit} (median)`, 'range', 'runs'], sides),
    '',
    ...table(['ours ÷ PyTorch', 'ratio of medians', 'each round', 'from'], ratios),
    ...(errors.length ? ['', `Failed runs: ${errors.map((e) => e.slice(0, 160)).join('; ')}`] : []),
  ];
}
