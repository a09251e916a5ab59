// Regenerates BENCHMARKS.md from bench/results/*.json: the issue #11 targets with met / not met
// first, then the machine, then one table per suite (bench/report-sections.ts), every figure next
// to its yardstick from the same run as a ratio.
import type { MachineInfo } from './machine.js';
import { SUITES } from './suites.js';
import { fmt, genericRows, load, num, objOf, rowsOf, table, type Stored } from './report-format.js';
import { SECTIONS, type SectionContext } from './report-sections.js';
import { gpuSections } from './report-gpu.js';

/** A target's status from its measured ratio (or rate) against the goal and the stretch goal. */
function status(value: number | null, goal: number, stretch?: number): string {
  if (value === null) return 'not measured';
  if (stretch !== undefined && value >= stretch) return '**met** (stretch too)';
  return value >= goal ? '**met**' : 'not met';
}

/** Both results say which `npm run bench` made them, and it was not the same one. */
const otherRun = (a: Stored | null, b: Stored | null) => !!a?.runStartedAt && !!b?.runStartedAt && a.runStartedAt !== b.runStartedAt;
/** "Ran … in … s; peak RSS … MB", and a warning when the machine was busy (load above its cores). */
export function ranLine(r: Stored, machine: MachineInfo | null): string {
  const busy = r.loadAvg !== undefined && machine && r.loadAvg > machine.cores * 0.75
    ? ` **Busy machine** (load ${r.loadAvg} on ${machine.cores} cores at start): figures are pessimistic.` : '';
  return `Ran ${r.ranAt}${r.quick ? ' (quick)' : ''} in ${fmt(r.seconds)} s; peak RSS ${r.peakRssMB ?? '—'} MB.${busy}`;
}

const quickNote = (...rs: Array<Stored | null>) => (rs.some((r) => r?.quick) ? ' (quick run)' : '');

function summarySection(dir: string): string[] {
  const get = (name: string) => load<Stored>(dir, name);
  const torch = get('pytorch-dcgan');
  const ours = get('dcgan-train');
  const up = get('upscale');
  const imp = get('import');
  const mem = get('memory');
  const rows: string[][] = [];

  const torchIps = torch?.ok ? num(torch.data?.images_per_s) : null;
  const best = rowsOf(ours?.ok ? ours.data?.results : null).filter((r) => !r.error && num(r.images_per_s))
    .sort((a, b) => Number(b.images_per_s) - Number(a.images_per_s))[0];
  const dcgan = best && torchIps ? Number(best.images_per_s) / torchIps : null;
  rows.push(['DCGAN-32 training, best CPU path ÷ PyTorch (2 threads)', '≥ 0.5×', '1×',
    dcgan === null ? '—' : `${dcgan.toFixed(2)}× (tfjs ${String(best!.backend)} ${fmt(num(best!.images_per_s))} vs ${fmt(torchIps)} images/s)${quickNote(torch, ours)}${otherRun(torch, ours) ? ', yardstick from another run' : ''}`,
    status(dcgan, 0.5, 1)]);

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
    '', 'What bounds each figure is under its suite below. A quick run uses fewer steps and smaller inputs: rerun the full bench before quoting a target as met.', ''];
}

function trainingSection(dir: string, machine: MachineInfo | null): string[] {
  const torch = load<Stored>(dir, 'pytorch-dcgan');
  const ours = load<Stored>(dir, 'dcgan-train');
  const torchIps = torch?.ok ? num(torch.data?.images_per_s) : null;
  const lines = ['## DCGAN-32 training throughput', '',
    'Batch 64, RGB, one full GAN step (D on real + fake, then G) per batch. Yardstick: `../shared/reference/pytorch_dcgan_bench.py` with 2 threads, run in the same `npm run bench`.',
    ''];
  if (ours) lines.push(`${ranLine(ours, machine)} PyTorch's peak RSS: ${torch?.peakRssMB ?? '—'} MB.${otherRun(torch, ours) ? ' The PyTorch figure is from another run.' : ''}`, '');
  const rows: string[][] = [];
  if (torch?.ok) rows.push([`PyTorch ${String(torch.data?.torch ?? '')} (2 threads)`, '64', fmt(torchIps), fmt(num(torch.data?.step_ms)), '1.00×', '—', '—', '—']);
  else rows.push(['PyTorch', '', `not measured: ${torch?.error ?? 'suite not run'}`, '', '', '', '', '']);
  for (const r of rowsOf(ours?.data?.results)) {
    if (r.error) {
      rows.push([`tfjs ${String(r.backend)}`, '', `failed: ${String(r.error).slice(0, 120)}`, '', '', '', '', '']);
      continue;
    }
    const ips = num(r.images_per_s);
    const peak = machine && num(r.gflops) !== null ? `${fmt((100 * Number(r.gflops)) / machine.fp32PeakGflops, 2)} %` : '—';
    rows.push([`tfjs ${String(r.backend)}`, fmt(r.batch), fmt(ips), fmt(num(r.step_ms)), torchIps && ips ? `${(ips / torchIps).toFixed(2)}×` : '—', fmt(num(r.gflops)), peak, r.tensors_stable === true ? 'yes' : 'NO']);
  }
  if (!ours) rows.push(['tfjs', '', 'suite not run', '', '', '', '', '']);
  lines.push(...table(['implementation', 'batch', 'images/s', 'ms/step', '× PyTorch', 'GFLOP/s', '% of fp32 peak', 'tensors stable'], rows));
  lines.push('', '**Bound by:** wasm runs on one core in Node (tfjs hard-codes its threads off there) at 128-bit SIMD, against PyTorch on two cores with AVX-512; within the step, the convolution backward kernels and transposed matmuls (src/engine/README.md). The pure-JS cpu backend is bound by its naive Conv2DBackpropFilter.', '');
  return lines;
}

export function renderBenchmarks(dir: string): string {
  const machine = load<MachineInfo>(dir, 'machine');
  const out = ['# Benchmarks', '',
    '_Generated by `npm run bench` (`bench/run.ts`); do not edit by hand. Every figure comes from the run recorded with it, and comparisons are ratios to a yardstick measured in the same run._', '',
    'Run: `npm run build:node && npm run bench` (every suite, at most 20 minutes), `npm run bench -- --quick` (at most 5), `npm run bench -- --only scaling,memory` (those suites; the others keep their last results here), `npm run bench -- --report-only` (rewrites this file from bench/results/, runs nothing).', '',
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
  for (const suite of SUITES) {
    if (suite.name === 'pytorch-dcgan' || suite.name === 'dcgan-train') continue;
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
    const render = SECTIONS[suite.name];
    out.push(...(render ? render(r.data, ctx) : ['| figure | value |', '| --- | --- |', ...genericRows(r.data)]), '');
  }
  return out.join('\n') + '\n';
}
