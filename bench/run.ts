// npm run bench [-- --quick] [-- --only a,b] [-- --budget-min N] [-- --max-wait-s N] [-- --report-only]: runs each benchmark in its own
// process (so its peak RSS is its own), writes bench/results/<suite>.json and regenerates
// BENCHMARKS.md from every stored result (with --only, the other suites keep their last one).
// Figures are reported as ratios to a yardstick measured in the same run, never as asserts.
// The whole run is bounded (20 min full, 5 min --quick): a suite starts only if its expected
// time still fits, and one that overruns 3× its expectation is stopped and reported as failed.
// Before each suite it waits (bounded: --max-wait-s, default 180 s full / 20 s quick) for the
// 1-minute load average to fall to 0.5, and it meters the CPU other processes use while the
// suite runs; either check failing marks the result `busy` (bench/load-gate.ts), and the report
// keeps busy results out of the targets.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FOREIGN_CORES_LIMIT, meterForeignCpu, waitForQuiet, type LoadGate } from './load-gate.js';
import { machineInfo } from './machine.js';
import { renderBenchmarks } from './report.js';
import { MANUAL_SUITES, SUITES, type Suite } from './suites.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RESULTS = join(ROOT, 'bench', 'results');

export interface SuiteResult {
  suite: string;
  title: string;
  ranAt: string;
  /** when the `npm run bench` invocation that produced this result started: same value = same run */
  runStartedAt?: string;
  /** 1-minute load average when the suite started (after waiting for a quiet machine) */
  loadAvg?: number;
  /** seconds waited for the load average to fall to 0.5 */
  loadWaitS?: number;
  /** average cores other processes used while the suite ran */
  foreignCores?: number | null;
  /** the load was above 0.5 at the start, others used more than 0.25 cores, or the suite said so: its figures count for nothing */
  busy?: boolean;
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

async function runSuite(suite: Suite, quick: boolean, runStartedAt: string, limitS: number, gate: LoadGate): Promise<SuiteResult> {
  const [cmd, ...args] = suite.command(quick, ROOT);
  const started = Date.now();
  const base = { suite: suite.name, title: suite.title, ranAt: new Date().toISOString(), runStartedAt, loadAvg: gate.loadAvg, loadWaitS: gate.waitedS, quick };
  if (!existsSync(args.find((a) => a.endsWith('.js') || a.endsWith('.py')) ?? cmd!)) {
    return { ...base, seconds: 0, peakRssMB: null, ok: false, error: `not built: ${args.join(' ')}`, data: null };
  }
  return new Promise((resolve) => {
    // its own process group, so stopping it also stops what it spawned (scaling runs one child per cell)
    const meter = meterForeignCpu();
    const env = { ...process.env, ...suite.env, GAN_STUDIO_BENCH_RUN: runStartedAt };
    const child = spawn(cmd!, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env, detached: true });
    const stopGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch { /* already gone */ }
    };
    const onInterrupt = () => {
      stopGroup();
      process.exit(130);
    };
    process.once('SIGINT', onInterrupt);
    const stopWatch = watchPeakRss(child.pid!);
    let overran = false;
    const limit = setTimeout(() => {
      overran = true;
      stopGroup();
    }, limitS * 1000);
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      process.stderr.write(c);
    });
    child.on('close', (code) => {
      clearTimeout(limit);
      process.off('SIGINT', onInterrupt);
      const peakRssMB = stopWatch();
      const seconds = (Date.now() - started) / 1000;
      const lines = stdout.trim().split('\n').filter((l) => l.trim().startsWith('{'));
      let data: unknown = null;
      try {
        data = lines.length ? JSON.parse(lines[lines.length - 1]!) : null;
      } catch { /* reported below */ }
      const ok = !overran && code === 0 && data !== null;
      const error = overran ? `stopped after ${limitS} s (3× its expected time or the run's remaining budget)` : `exit ${code}; last output: ${stdout.slice(-500)}`;
      const { foreignCores } = meter();
      const saysBusy = (data as { busy?: unknown } | null)?.busy === true;
      const busy = gate.busyAtStart || (foreignCores !== null && foreignCores > FOREIGN_CORES_LIMIT) || saysBusy;
      resolve({ ...base, foreignCores, busy, seconds, peakRssMB, ok, data, ...(ok ? {} : { error }) });
    });
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--report-only')) {
    // re-render from the stored results (e.g. after a report change or an added GPU report), no suite runs
    writeFileSync(join(ROOT, 'BENCHMARKS.md'), renderBenchmarks(RESULTS));
    console.error('wrote BENCHMARKS.md from bench/results/ (no suite run)');
    return;
  }
  const quick = argv.includes('--quick');
  const onlyArg = argv.find((a) => a.startsWith('--only='))?.slice(7) ?? (argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined);
  const only = onlyArg ? new Set(onlyArg.split(',')) : null;
  const unknown = [...(only ?? [])].filter((name) => ![...SUITES, ...MANUAL_SUITES].some((s) => s.name === name));
  if (unknown.length) throw new Error(`--only: no suite ${unknown.join(', ')}; the suites are ${[...SUITES, ...MANUAL_SUITES].map((s) => s.name).join(', ')}`);
  const budgetArg = argv.find((a) => a.startsWith('--budget-min='))?.slice(13) ?? (argv.includes('--budget-min') ? argv[argv.indexOf('--budget-min') + 1] : undefined);
  // a by-hand suite named in --only brings its own budget
  const manualS = MANUAL_SUITES.filter((s) => only?.has(s.name)).reduce((sum, s) => sum + (quick ? s.expectS.quick : s.expectS.full), 0);
  const budgetS = budgetArg ? 60 * Number(budgetArg) : (quick ? 5 : 20) * 60 + manualS;
  const waitArg = argv.find((a) => a.startsWith('--max-wait-s='))?.slice(13) ?? (argv.includes('--max-wait-s') ? argv[argv.indexOf('--max-wait-s') + 1] : undefined);
  const maxWaitS = Number(waitArg ?? (quick ? 20 : 180));
  const runStartedAt = new Date().toISOString();
  const t0 = Date.now();
  const skipped: string[] = [];
  mkdirSync(RESULTS, { recursive: true });
  const machine = machineInfo();
  writeFileSync(join(RESULTS, 'machine.json'), JSON.stringify(machine, null, 2) + '\n');
  for (const suite of [...SUITES, ...MANUAL_SUITES]) {
    if (only && !only.has(suite.name)) continue;
    if (suite.manual && !only?.has(suite.name)) continue;
    const expected = quick ? suite.expectS.quick : suite.expectS.full;
    if (expected === 0) continue; // not part of a quick run (a pair suite measures the same thing)
    const gate = await waitForQuiet(Math.min(maxWaitS, Math.max(0, budgetS - (Date.now() - t0) / 1000 - expected)), (line) => console.error(`\n${line}`));
    const leftS = budgetS - (Date.now() - t0) / 1000;
    if (expected > leftS) {
      skipped.push(suite.name);
      console.error(`\n=== bench: ${suite.name} skipped: expects ${expected} s, ${Math.max(0, Math.round(leftS))} s of the ${budgetS / 60} min budget left (its last result stays) ===`);
      continue;
    }
    console.error(`\n=== bench: ${suite.name} (${suite.title}), expected ~${expected} s ===`);
    const result = await runSuite(suite, quick, runStartedAt, Math.round(Math.max(10, Math.min(3 * expected, leftS))), gate);
    writeFileSync(join(RESULTS, `${suite.name}.json`), JSON.stringify(result, null, 2) + '\n');
    const busy = result.busy ? ` — BUSY (load ${result.loadAvg} at start, others used ${result.foreignCores ?? '?'} cores): excluded from the targets` : '';
    console.error(result.ok ? `✓ ${suite.name} in ${result.seconds.toFixed(1)}s, peak RSS ${result.peakRssMB} MB${busy}` : `✗ ${suite.name}: ${result.error}`);
  }
  writeFileSync(join(ROOT, 'BENCHMARKS.md'), renderBenchmarks(RESULTS));
  const minutes = ((Date.now() - t0) / 60_000).toFixed(1);
  console.error(`\nwrote BENCHMARKS.md after ${minutes} min${skipped.length ? `; skipped for time: ${skipped.join(', ')} (rerun with --only ${skipped.join(',')})` : ''}`);
}

await main();
