// Regenerates BENCHMARKS.md from bench/results/*.json: the issue #20 targets (ours vs PyTorch,
// alternated, bench/report-pairs.ts) and the issue #11 targets with met / not met first, then the
// machine, then one table per suite (bench/report-sections.ts), every figure next to its
// yardstick from the same run as a ratio.
import type { MachineInfo } from './machine.js';
import { MANUAL_SUITES, SUITES } from './suites.js';
import { fmt, genericRows, load, num, objOf, rowsOf, table, type Stored } from './report-format.js';
import { SECTIONS, type SectionContext } from './report-sections.js';
import { gpuSections } from './report-gpu.js';
import { PAIR_SUITES, pairSection, pairTargetsSection } from './report-pairs.js';

/** A target's status from its measured ratio (or rate) against the goal and the stretch goal. */
function status(value: number | null, goal: number, stretch?: number): string {
  if (value === null) return 'not measured';
  if (stretch !== undefined && value >= stretch) return '**met** (stretch too)';
  return value >= goal ? '**met**' : 'not met';
}

/**
 * "Ran … in … s; peak RSS … MB", and a warning when the machine was busy: the run's own verdict
 * (bench/load-gate.ts), or for results stored before it, a load above ¾ of the cores.
 */
export function ranLine(r: Stored, machine: MachineInfo | null): string {
  const cores = machine ? ` on ${machine.cores} cores` : '';
  const others = r.foreignCores !== undefined && r.foreignCores !== null ? `, other processes used ${r.foreignCores} cores during it` : '';
  const busy = r.busy === true || (r.busy === undefined && r.loadAvg !== undefined && machine && r.loadAvg > machine.cores * 0.75)
    ? ` **Busy machine** (load ${r.loadAvg}${cores} at start${others}): figures are unreliable and count for no target.` : '';
  return `Ran ${r.ranAt}${r.quick ? ' (quick)' : ''} in ${fmt(r.seconds)} s; peak RSS ${r.peakRssMB ?? '—'} MB.${busy}`;
}

const quickNote = (...rs: Array<Stored | null>) => (rs.some((r) => r?.quick) ? ' (quick run)' : '');

function summarySection(dir: string): string[] {
  const get = (name: string) => load<Stored>(dir, name);
  const up = get('upscale');
  const imp = get('import');
  const mem = get('memory');
  const rows: string[][] = [];

  const sr = rowsOf(up?.ok ? up.data?.results : null).filter((r) => num(r.oursVsUpscaler) !== null);
  const worst = sr.length ? Math.min(...sr.map((r) => Number(r.oursVsUpscaler))) : null;
  rows.push(['Tiled super-resolution ÷ upscaler execute(), equal output (MP/s)', '≥ 1.0×', '1.5×',
    sr.length ? `${sr.map((r) => `${String(r.model).replace(/^esrgan-|-x2$/g, '')} ${Number(r.oursVsUpscaler).toFixed(2)}×`).join(', ')} at ${String(up!.data?.size ?? '?')}² input${quickNote(up)}` : '—',
    status(worst, 1, 1.5) + (sr.length > 1 ? ' (worst model)' : '')]);

  const pngs = imp?.ok ? num(imp.data?.images_per_s) : null;
  rows.push(['Import of the emoji PNGs', '≥ 1,000 PNG/s', '—', pngs === null ? '—' : `${fmt(pngs)} PNG/s${quickNote(imp)}`, status(pngs, 1000)]);

  const runs = rowsOf(mem?.ok ? mem.data?.results : null);
  const growing = runs.filter((r) => r.verdict !== 'flat').map((r) => String(r.name));
  rows.push(['Tensor counts stable over long runs', 'flat', '—',
    runs.length ? runs.map((r) => `${String(r.name)} ${fmt(objOf(r.tensors).last)} tensors after ${fmt(r.steps)} steps: ${String(r.verdict ?? 'failed')}`).join('; ') + quickNote(mem) : '—',
    runs.length ? (growing.length ? `not met (${growing.join(', ')})` : '**met**') : 'not measured']);

  return ['## Targets (issue #11)', '',
    ...table(['target', 'goal', 'stretch', 'measured', 'status'], rows),
    '', 'DCGAN-32 against PyTorch, issue #11\'s first target, is in the issue #20 table above (alternated runs only). What bounds each figure is under its suite below. A quick run uses fewer steps and smaller inputs: rerun the full bench before quoting a target as met.', ''];
}

function trainingSection(dir: string, machine: MachineInfo | null): string[] {
  const ours = load<Stored>(dir, 'dcgan-train');
  const lines = ['## DCGAN-32 training throughput', '',
    'Batch 64 (cpu: 8), RGB, one full GAN step (D on real + fake, then G) per batch. No ratio to PyTorch here: ratios come only from alternated runs (the issue #20 targets and the DCGAN-32 pair below).',
    ''];
  if (ours) lines.push(ranLine(ours, machine), '');
  const rows: string[][] = [];
  for (const r of rowsOf(ours?.data?.results)) {
    if (r.error) {
      rows.push([`tfjs ${String(r.backend)}`, '', `failed: ${String(r.error).slice(0, 120)}`, '', '', '', '']);
      continue;
    }
    const peak = machine && num(r.gflops) !== null ? `${fmt((100 * Number(r.gflops)) / machine.fp32PeakGflops, 2)} %` : '—';
    rows.push([`tfjs ${String(r.backend)}`, fmt(r.batch), fmt(num(r.images_per_s)), fmt(num(r.step_ms)), fmt(num(r.gflops)), peak, r.tensors_stable === true ? 'yes' : 'NO']);
  }
  if (!ours) rows.push(['tfjs', '', 'suite not run', '', '', '', '']);
  lines.push(...table(['implementation', 'batch', 'images/s', 'ms/step', 'GFLOP/s', '% of fp32 peak', 'tensors stable'], rows));
  lines.push('', '**Bound by:** wasm runs XNNPACK at 128-bit SIMD (one core unless threads are on: src/engine/wasm-threads.ts) against PyTorch with AVX-512 on every core; within the step, the convolution backward kernels (src/engine/README.md). The pure-JS cpu backend is bound by its naive Conv2DBackpropFilter.', '');
  return lines;
}

export function renderBenchmarks(dir: string): string {
  const machine = load<MachineInfo>(dir, 'machine');
  const out = ['# Benchmarks', '',
    '_Generated by `npm run bench` (`bench/run.ts`); do not edit by hand. Every figure comes from the run recorded with it, and comparisons are ratios to a yardstick measured in the same run._', '',
    'Run: `npm run build:node && npm run bench` (every suite, at most 20 minutes), `npm run bench -- --quick` (at most 5), `npm run bench -- --only scaling,memory` (those suites; the others keep their last results here), `npm run bench -- --only pytorch-dcgan-pair,pytorch-cyclegan-pair,pytorch-esrgan-pair` (ours against PyTorch, alternated: the issue #20 targets; run it on an idle machine), `npm run bench -- --report-only` (rewrites this file from bench/results/, runs nothing).', '',
    ...pairTargetsSection(dir),
    ...summarySection(dir)];
  if (machine) {
    out.push('## Machine', '', '| | |', '| --- | --- |',
      `| last bench run | ${machine.date} |`, `| CPU | ${machine.cpu} (${machine.cores} cores) |`, `| memory | ${machine.memoryGiB} GiB |`,
      `| OS | ${machine.os} |`, `| Node | ${machine.node} |`, `| tfjs | ${machine.tfjs} |`,
      `| fp32 peak | ${machine.fp32PeakGflops} GFLOP/s: ${machine.fp32PeakNote} |`, '');
  }
  out.push(...trainingSection(dir, machine));
  out.push(...gpuSections(dir));
  const ctx: SectionContext = { machine, other: (name) => load<Stored>(dir, name) };
  // a by-hand suite gets a section once it has a result (quality's report is docs/QUALITY.md)
  for (const suite of [...SUITES, ...MANUAL_SUITES.filter((s) => s.name !== 'quality' && load<Stored>(dir, s.name))]) {
    if (suite.name === 'dcgan-train') continue;
    const r = load<Stored>(dir, suite.name);
    out.push(`## ${suite.title}`, '');
    if (!r) {
      out.push(`_not run yet: \`npm run bench -- --only ${suite.name}\`_`, '');
      continue;
    }
    out.push(ranLine(r, machine), '');
    if (!r.ok || !r.data) {
      out.push(`Failed: ${r.error ?? 'unknown'}`, '');
      continue;
    }
    const render = PAIR_SUITES.some((p) => p.suite === suite.name) ? pairSection : SECTIONS[suite.name];
    out.push(...(render ? render(r.data, ctx) : ['| figure | value |', '| --- | --- |', ...genericRows(r.data)]), '');
  }
  return out.join('\n') + '\n';
}
