// BENCHMARKS.md's section for the compiled WebGPU step (bench/webgpu-compiled.ts, issue #19):
// dispatches per step against tfjs's kernels per step, host ms, and agreement with tfjs.
import { fmt, num, rowsOf, table, type Row } from './report-format.js';

const TARGET_DISPATCHES = 150;
const TARGET_HOST_MS = 2;

export function webgpuCompiledSection(d: Row): string[] {
  const rows = rowsOf(d.results).map((r) => {
    if (r.error) return [String(r.family), '', `failed: ${String(r.error).slice(0, 120)}`, '', '', '', ''];
    const dispatches = num(r.dispatches_per_step);
    const kernels = num(r.tfjs_kernels_per_step);
    return [
      String(r.title ?? r.family), fmt(r.batch),
      `${fmt(dispatches)}${dispatches !== null && kernels ? ` (tfjs: ${fmt(kernels)} kernels, ${fmt(kernels / dispatches, 0)}× fewer)` : ''}`,
      `${fmt(num(r.host_ms_per_step), 2)}${r.host_ms_measured ? ` (${String(r.host_ms_measured).split(' (')[0]})` : ''}`,
      fmt(num(r.arena_mb)), num(r.max_loss_rel_diff) === null ? '—' : Number(r.max_loss_rel_diff).toExponential(1),
      (() => {
        const agree = r.agreement as Row | undefined;
        return agree ? `batch ${fmt(agree.batch)}, ${fmt(agree.steps)} steps` : '—';
      })(),
    ];
  });
  const dcgan = rowsOf(d.results).find((r) => r.family === 'dcgan');
  const dispatches = num(dcgan?.dispatches_per_step);
  const hostMs = num(dcgan?.host_ms_per_step);
  return [
    `Adapter: ${String(d.adapter ?? '?')}${d.software_adapter ? ' (software: GPU speed is not measured here)' : ''}. One step = D on real + fake, then G, Adam, EMA, as one command buffer with one compute pass (src/engine/webgpu-compiled/). Dispatch counts do not depend on the machine or its load; host ms do, and on a software adapter only the recording is timed (its submit runs the shaders on the CPU).`, '',
    ...table(['family', 'batch', 'dispatches per step', 'host ms per step', 'arena MiB', 'max loss rel. diff vs tfjs', 'agreement run'], rows),
    '',
    ...table(['target (issue #19, CPU-side proxy)', 'goal', 'measured', 'status'], [
      ['DCGAN-32 dispatches per step', `≤ ${TARGET_DISPATCHES}`, fmt(dispatches), dispatches === null ? 'not measured' : dispatches <= TARGET_DISPATCHES ? '**met**' : 'not met'],
      ['DCGAN-32 host ms per step (encode + submit)', `≤ ${TARGET_HOST_MS}`, fmt(hostMs, 2), hostMs === null ? 'not measured' : hostMs <= TARGET_HOST_MS ? '**met** (check the run is not marked busy)' : 'not met'],
    ]),
    '', '**Bound by:** on a GPU, the step is the WGSL kernels themselves (32×32-tile implicit GEMM, one workgroup per channel for batch norm); the host cost is recording ~70 dispatches with bind groups made once.',
  ];
}
