// What machine a benchmark ran on, recorded with every result so figures are never orphaned.
import { cpus, totalmem, platform, release } from 'node:os';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface MachineInfo {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  tfjs: string;
  /** the fp32 peak the percentages use: the larger of our estimate and the measured FMA-loop figure */
  fp32PeakGflops: number;
  fp32PeakNote: string;
}

/**
 * An FMA loop on 2 cores of this project's machines reached ~410 GFLOP/s (TOOLCHAIN.md): Zen 5
 * with AVX-512, 2 FMA pipes. Virtual machines here hide the avx512 flags from /proc/cpuinfo, so
 * a flags-only estimate comes out at half of that; the measured figure keeps "% of peak" honest.
 */
const MEASURED_FMA_LOOP_GFLOPS = 410;

function cpuFlags(): string {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('flags')) ?? '';
  } catch {
    return '';
  }
}

/**
 * fp32 peak = cores × clock × SIMD lanes × FMA units × 2 FLOP per FMA.
 * AVX-512 gives 16 fp32 lanes; Zen 4/5 and most Intel cores have 2 FMA pipes. The clock is
 * the OS-reported one when it is there, else the 3.3 GHz effective clock measured on these machines.
 */
export function estimatePeak(): { gflops: number; note: string } {
  const list = cpus();
  const cores = list.length;
  const mhz = list[0]?.speed && list[0].speed > 500 ? list[0].speed : 3300;
  const flags = cpuFlags();
  const lanes = flags.includes('avx512f') ? 16 : flags.includes('avx2') ? 8 : 4;
  const fmaUnits = 2;
  const gflops = (cores * (mhz / 1000) * lanes * fmaUnits * 2);
  return {
    gflops: Math.round(gflops),
    note: `${cores} cores × ${(mhz / 1000).toFixed(2)} GHz × ${lanes} fp32 lanes × ${fmaUnits} FMA units × 2 FLOP`,
  };
}

export function machineInfo(): MachineInfo {
  const estimate = estimatePeak();
  const peak = estimate.gflops >= MEASURED_FMA_LOOP_GFLOPS
    ? estimate
    : { gflops: MEASURED_FMA_LOOP_GFLOPS, note: `measured with an FMA loop on these machines (TOOLCHAIN.md); the flags-only estimate is ${estimate.gflops} (${estimate.note}) because the VM hides AVX-512` };
  let tfjs = 'unknown';
  try {
    tfjs = (require('@tensorflow/tfjs-core/package.json') as { version: string }).version;
  } catch { /* reported as unknown */ }
  return {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    tfjs,
    fp32PeakGflops: peak.gflops,
    fp32PeakNote: peak.note,
  };
}
