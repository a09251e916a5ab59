// npm run bench [-- --quick] [-- --only a,b]: runs each benchmark in its own process (so its
// peak RSS is its own), writes bench/results/<suite>.json and regenerates BENCHMARKS.md.
// Figures are reported as ratios to a yardstick measured in the same run, never as asserts.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo } from './machine.js';
import { renderBenchmarks } from './report.js';
import { SUITES, type Suite } from './suites.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'results');

export interface SuiteResult {
  suite: string;
  title: string;
  ranAt: string;
  quick: boolean;
  seconds: number;
  peakRssMB: number | null;
  ok: boolean;
  error?: string;
  data: unknown;
}

/** Reads the high-water mark of a process's resident memory while it runs (Linux). */
function watchPeakRss(pid: number): () => number | null {
  let peakKb: number | null = null;
  const read = () => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const m = /VmHWM:\s+(\d+) kB/.exec(status);
      if (m) peakKb = Math.max(peakKb ?? 0, Number(m[1]));
    } catch { /* process gone */ }
  };
  const timer = setInterval(read, 100);
  return () => {
    clearInterval(timer);
    return peakKb === null ? null : Math.round(peakKb / 1024);
  };
}

async function runSuite(suite: Suite, quick: boolean): Promise<SuiteResult> {
  const [cmd, ...args] = suite.command(quick, ROOT);
  const started = Date.now();
  const base = { suite: suite.name, title: suite.title, ranAt: new Date().toISOString(), quick };
  if (!existsSync(args.find((a) => a.endsWith('.js') || a.endsWith('.py')) ?? cmd!)) {
    return { ...base, seconds: 0, peakRssMB: null, ok: false, error: `not built: ${args.join(' ')}`, data: null };
  }
  return new Promise((resolve) => {
    const child = spawn(cmd!, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...suite.env } });
    const stopWatch = watchPeakRss(child.pid!);
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      process.stderr.write(c);
    });
    child.on('close', (code) => {
      const peakRssMB = stopWatch();
      const seconds = (Date.now() - started) / 1000;
      const lines = stdout.trim().split('\n').filter((l) => l.trim().startsWith('{'));
      let data: unknown = null;
      try {
        data = lines.length ? JSON.parse(lines[lines.length - 1]!) : null;
      } catch { /* reported below */ }
      const ok = code === 0 && data !== null;
      resolve({ ...base, seconds, peakRssMB, ok, data, ...(ok ? {} : { error: `exit ${code}; last output: ${stdout.slice(-500)}` }) });
    });
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const onlyArg = argv.find((a) => a.startsWith('--only='))?.slice(7) ?? (argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined);
  const only = onlyArg ? new Set(onlyArg.split(',')) : null;
  mkdirSync(RESULTS, { recursive: true });
  const machine = machineInfo();
  writeFileSync(join(RESULTS, 'machine.json'), JSON.stringify(machine, null, 2) + '\n');
  for (const suite of SUITES) {
    if (only && !only.has(suite.name)) continue;
    console.error(`\n=== bench: ${suite.name} (${suite.title}) ===`);
    const result = await runSuite(suite, quick);
    writeFileSync(join(RESULTS, `${suite.name}.json`), JSON.stringify(result, null, 2) + '\n');
    console.error(result.ok ? `✓ ${suite.name} in ${result.seconds.toFixed(1)}s, peak RSS ${result.peakRssMB} MB` : `✗ ${suite.name}: ${result.error}`);
  }
  writeFileSync(join(ROOT, 'BENCHMARKS.md'), renderBenchmarks(RESULTS));
  console.error('\nwrote BENCHMARKS.md');
}

await main();
