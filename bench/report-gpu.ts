// BENCHMARKS.md's "On a GPU machine" section: read from a stored scripts/gpu-check.ts report
// (bench/results/gpu-*.json, see docs/GPU-CHECK.md) that someone ran once on a borrowed machine,
// with the PyTorch yardsticks of that same machine added under `yardsticks`. Nothing here runs.
import { readdirSync } from 'node:fs';
import { fmt, load, num, objOf, rowsOf, table, type Row } from './report-format.js';

/** The stored GPU report files in the results folder, e.g. ['gpu-h200']. */
export function gpuReports(dir: string): string[] {
  return readdirSync(dir).filter((f) => /^gpu-[\w-]+\.json$/.test(f)).map((f) => f.slice(0, -5)).sort();
}

/** x as a multiple of base: 5.37×, 0.07×, and one significant digit below 0.01 (0.005×, 0.00002×). */
function times(x: number | null, base: number | null): string {
  if (x === null || !base) return '—';
  const r = x / base;
  return `${r >= 0.01 ? r.toFixed(2) : Number(r.toPrecision(1)).toString()}×`;
}
const flat = (stage: Row): string => {
  if (stage.tensors_flat === true) return 'yes';
  const span = `${fmt(stage.tensors_before)} → ${fmt(stage.tensors_after)}`;
  if (stage.tensors_note) return `no, expected: ${String(stage.tensors_note)} (${span})`;
  // one timed step without warm-up counts the optimizer state that the first step creates
  if (Array.isArray(stage.warmup_ms) && stage.warmup_ms.length === 0) return `— (one step, no warm-up: ${span}, Adam's state made by the first step)`;
  return `**NO** (${span})`;
};

export function gpuSection(report: Row, name: string): string[] {
  const stages = objOf(report.stages);
  const stage = (key: string) => objOf(stages[key]);
  const yard = objOf(report.yardsticks);
  const cuda = objOf(yard['pytorch-cuda']);
  const cpu16 = objOf(yard['pytorch-cpu']);
  const [cudaIps, cpuIps] = [num(cuda.images_per_s), num(cpu16.images_per_s)];
  const flopsPerImage = num(report.flops_per_image_dcgan32);
  const derivedGflops = (ips: number | null) => (ips !== null && flopsPerImage ? `${fmt((ips * flopsPerImage) / 1e9)} (derived)` : '—');
  const device = objOf(report.device);
  const dcgan = stage('dcgan-webgpu');

  const rows: string[][] = [];
  const yardRow = (y: Row, ips: number | null) => {
    if (ips !== null) rows.push([String(y.label ?? 'PyTorch'), `${fmt(ips)} img/s (${fmt(num(y.step_ms))} ms/step)`, times(ips, cudaIps), times(ips, cpuIps), derivedGflops(ips), '—']);
  };
  yardRow(cuda, cudaIps);
  yardRow(cpu16, cpuIps);
  const dcganRow = (key: string, label: string) => {
    const s = stage(key);
    if (!s.ok) {
      rows.push([label, s.reason ? `failed: ${String(s.reason)}` : 'not run', '', '', '', '']);
      return;
    }
    const ips = num(s.images_per_s);
    const pipelined = num(s.pipelined_images_per_s) !== null ? `; ${fmt(num(s.pipelined_images_per_s))} without a read-back per step` : '';
    rows.push([`${label}, batch ${fmt(s.batch)}`, `${fmt(ips)} img/s (${fmt(num(s.step_ms))} ms/step${pipelined})`, times(ips, cudaIps), times(ips, cpuIps), fmt(num(s.gflops)), flat(s)]);
  };
  const dawnOptions = Array.isArray(dcgan.dawn) && dcgan.dawn.length ? dcgan.dawn.join(',') : 'defaults';
  dcganRow('dcgan-webgpu', `DCGAN-32, tfjs webgpu (Dawn ${dawnOptions})`);
  dcganRow('dcgan-wasm', `DCGAN-32, tfjs wasm (one core of the ${String(device.cpu ?? 'CPU')})`);
  dcganRow('dcgan-cpu', 'DCGAN-32, tfjs cpu (pure JS)');
  const modelRow = (key: string, label: string) => {
    const s = stage(key);
    if (!s.ok) return;
    rows.push([`${label} ${String(s.preset)} ${fmt(s.size)}², batch ${fmt(s.batch)}`, `${fmt(num(s.steps_per_s), 3)} steps/s (${fmt(num(s.images_per_s))} img/s, ${fmt(num(s.step_ms))} ms/step)`,
      '—', '—', '—', flat(s)]);
  };
  modelRow('cyclegan-webgpu', 'CycleGAN, tfjs webgpu,');
  modelRow('esrgan-webgpu', 'ESRGAN SR×2 training, tfjs webgpu,');
  for (const [key, value] of Object.entries(stages)) {
    const m = /^adapter\[(.+)\]$/.exec(key);
    if (!m) continue;
    const s = objOf(value);
    rows.push([`matmul on the WebGPU adapter, Dawn ${m[1] === 'default' ? 'defaults' : m[1]}`, s.ok ? `${String(s.description ?? '')}${s.software ? ' (software)' : ''}` : `failed: ${String(s.reason ?? '')}`,
      '—', '—', s.ok ? fmt(num(s.matmul_gflops)) : '—', '—']);
  }

  const doctor = stage('doctor');
  const choices = rowsOf(doctor.table).map((b) => `${String(b.name)} ${b.available ? (num(b.gflops) !== null ? `yes (${fmt(num(b.gflops))} GFLOP/s)` : 'yes') : 'no'}`);
  const webgpuIps = num(dcgan.images_per_s);
  const matmulBest = Math.max(...Object.entries(stages).filter(([k]) => k.startsWith('adapter[')).map(([, v]) => num(objOf(v).matmul_gflops) ?? 0));
  const when = String(report.started ?? '').replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC');
  return [
    `## On a GPU machine (borrowed once; not this machine)`, '',
    `\`scripts/gpu-check.ts\` (docs/GPU-CHECK.md), run once on ${String(report.nvidia_smi ?? 'a GPU machine')} with a ${fmt(device.cores)}-core ${String(device.cpu ?? 'CPU')}, Node ${String(report.node ?? '—')}, tfjs ${String(report.tfjs ?? '—')}, at ${when}; stored in \`bench/results/${name}.json\` with the PyTorch yardsticks of the same machine (DCGAN-32, batch 64, the same step). Not rerun by \`npm run bench\`.`, '',
    ...table(['implementation / backend', 'images/s or steps/s', '× PyTorch CUDA', '× PyTorch CPU (16 threads)', 'GFLOP/s', 'tensors flat'], rows),
    '',
    `What the backend chooser (\`gan-studio doctor\`) picked there: **${String(doctor.chosen ?? '—')}** (${choices.join(', ')}).`,
    '',
    `**Bound by:** tfjs-webgpu's generic WGSL kernels and per-op dispatch (every op its own compute pass; no fused convolution + batch norm + activation, no tuned convolution algorithms) against PyTorch's cuDNN fused kernels: ${times(webgpuIps, cudaIps)} PyTorch CUDA. The adapter reaches ${fmt(matmulBest)} GFLOP/s on a large matmul, but a DCGAN-32 step at batch 64 is many small ops and runs at ${fmt(num(dcgan.gflops))} GFLOP/s.`,
    '',
  ];
}

/** Every stored GPU report's section (none when no report is stored). */
export function gpuSections(dir: string): string[] {
  return gpuReports(dir).flatMap((name) => {
    const report = load<Row>(dir, name);
    return report ? gpuSection(report, name) : [];
  });
}
