// A yardstick pair: the PyTorch step (bench/pytorch_yardsticks.py) and ours (bench/train-step.ts)
// for one network, run alternately in one invocation — Y O₁ O₂, O₂ O₁ Y, … for `rounds` rounds —
// so a neighbour that loads the machine for a minute hits both sides, not one. Each side's figure
// is the median over rounds, with its spread; each ratio is ours ÷ the yardstick of the same
// rounds and names them. Every run records the CPU that other processes used while it ran
// (bench/load-gate.ts); one above the limit makes the whole pair `busy`.
//   node dist/bench/pairs.js --net dcgan|cyclegan|esrgan [--rounds 3] [--quick] [--threads N]
// O₁ is the app's default (the engine's thread rule), O₂ one thread (only where the rule picks
// more than one). --threads sets PyTorch's threads (default: every core, as ours may use).
import { execFile } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { flag, median } from './common.js';
import { FOREIGN_CORES_LIMIT, meterForeignCpu } from './load-gate.js';
import { wasmThreadsWanted } from '../src/engine/wasm-threads.js';

type Net = 'dcgan' | 'cyclegan' | 'esrgan';
/** warm-up / timed steps per run: [full, quick], per side */
const STEPS: Record<Net, { torch: [number, number][]; ours: [number, number][]; unit: 'images/s' | 'steps/s' }> = {
  dcgan: { torch: [[3, 10], [1, 3]], ours: [[2, 6], [1, 2]], unit: 'images/s' },
  cyclegan: { torch: [[3, 8], [1, 2]], ours: [[2, 5], [1, 2]], unit: 'steps/s' },
  esrgan: { torch: [[3, 12], [1, 4]], ours: [[2, 10], [1, 4]], unit: 'steps/s' },
};

interface Side {
  id: string;
  label: string;
  command: string[];
  env: NodeJS.ProcessEnv;
}

interface Run {
  /** `<pair run>#<round>`: the id a ratio names */
  pair: string;
  round: number;
  side: string;
  value: number | null;
  step_ms: number | null;
  threads: number | null;
  params: number | null;
  foreignCores: number | null;
  busy: boolean;
  error?: string;
}

const net = (flag('net') ?? '') as Net;
if (!(net in STEPS)) throw new Error(`--net must be one of ${Object.keys(STEPS).join(', ')}, got "${net}"`);
const quick = process.argv.includes('--quick');
const rounds = Math.max(3, Number(flag('rounds') ?? 3));
const torchThreads = Number(flag('threads') ?? cpus().length);
// run.ts passes its run's start so the pair ids say which `npm run bench` made them
const pairRun = process.env.GAN_STUDIO_BENCH_RUN ?? new Date().toISOString();

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const [torchWarm, torchSteps] = STEPS[net].torch[quick ? 1 : 0]!;
const [oursWarm, oursSteps] = STEPS[net].ours[quick ? 1 : 0]!;
const envWithout = (key: string): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== key));
const defaultThreads = wasmThreadsWanted(envWithout('GAN_STUDIO_WASM_THREADS'));
const oursCommand = [process.execPath, here('./train-step.js'), '--net', net, '--warmup', String(oursWarm), '--steps', String(oursSteps)];

const sides: Side[] = [
  {
    id: 'pytorch', label: `PyTorch (${torchThreads} threads)`, env: process.env,
    // the .py is not built: it sits next to this file's source, two levels up from dist/bench/
    command: ['/usr/bin/python3', fileURLToPath(new URL('../../bench/pytorch_yardsticks.py', import.meta.url)), '--net', net,
      '--threads', String(torchThreads), '--warmup', String(torchWarm), '--steps', String(torchSteps)],
  },
  // the default path: the engine's own thread rule, whatever this shell's environment says
  { id: 'ours', label: `GAN Studio wasm, default (${defaultThreads} thread${defaultThreads > 1 ? 's' : ''})`, env: envWithout('GAN_STUDIO_WASM_THREADS'), command: oursCommand },
];
if (defaultThreads > 1 && !quick) {
  sides.push({ id: 'ours-1t', label: 'GAN Studio wasm, 1 thread', env: { ...process.env, GAN_STUDIO_WASM_THREADS: '1' }, command: oursCommand });
}

function runOnce(side: Side, round: number): Promise<Run> {
  const meter = meterForeignCpu();
  const pair = `${pairRun}#${round}`;
  return new Promise((resolve) => {
    execFile(side.command[0]!, side.command.slice(1), { env: side.env, timeout: 600_000, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
      const { foreignCores } = meter();
      const busy = foreignCores !== null && foreignCores > FOREIGN_CORES_LIMIT;
      const base = { pair, round, side: side.id, foreignCores, busy };
      const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
      if (error || !line) {
        resolve({ ...base, value: null, step_ms: null, threads: null, params: null, error: `${error?.message ?? 'no JSON line'}: ${stderr.slice(-400)}` });
        return;
      }
      const r = JSON.parse(line) as Record<string, unknown>;
      const value = Number(STEPS[net].unit === 'images/s' ? r.images_per_s : r.steps_per_s);
      resolve({ ...base, value, step_ms: Number(r.step_ms), threads: typeof r.threads === 'number' ? r.threads : null, params: Number(r.params) });
    });
  });
}

const runs: Run[] = [];
for (let round = 1; round <= rounds; round++) {
  // ABBA order (Y O, O Y, …): a side never always runs first after the previous round's load
  for (const side of round % 2 ? sides : [...sides].reverse()) {
    const run = await runOnce(side, round);
    runs.push(run);
    console.error(`${net} round ${round} ${side.id}: ${run.value ?? run.error} ${STEPS[net].unit}${run.busy ? ` (busy: others used ${run.foreignCores} cores)` : ''}`);
  }
}

const spread = (xs: number[]) => (xs.length ? { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) } : null);
const ok = (id: string) => runs.filter((r) => r.side === id && r.value !== null);
const torchRuns = ok('pytorch');
const summary = sides.map((side) => {
  const mine = ok(side.id);
  const threads = mine.find((r) => r.threads !== null)?.threads ?? (side.id === 'pytorch' ? torchThreads : null);
  return { id: side.id, label: side.label, threads, runs: mine.length, ...spread(mine.map((r) => r.value!)) };
});
// ours ÷ PyTorch: the ratio of the medians, and each round's own ratio for the spread
const ratios = sides.slice(1).map((side) => {
  const perRound = ok(side.id).flatMap((r) => {
    const y = torchRuns.find((t) => t.round === r.round);
    return y ? [{ pair: r.pair, ratio: Number((r.value! / y.value!).toFixed(3)) }] : [];
  });
  const ours = summary.find((s) => s.id === side.id)!;
  const torch = summary[0]!;
  return {
    side: side.id, vs: 'pytorch',
    ratio: ours.median !== undefined && torch.median ? Number((ours.median / torch.median).toFixed(3)) : null,
    pairs: perRound.map((p) => p.pair), perRound, ...(perRound.length ? { min: Math.min(...perRound.map((p) => p.ratio)), max: Math.max(...perRound.map((p) => p.ratio)) } : {}),
  };
});
const paramsBySide = Object.fromEntries(sides.map((s) => [s.id, ok(s.id)[0]?.params ?? null]));
const mismatch = paramsBySide.ours !== null && paramsBySide.pytorch !== null && paramsBySide.ours !== paramsBySide.pytorch;
const failed = runs.filter((r) => r.error);
console.log(JSON.stringify({
  net, unit: STEPS[net].unit, quick, rounds, pairRun, sides: summary, ratios, params: paramsBySide,
  busy: runs.some((r) => r.busy), maxForeignCores: Math.max(0, ...runs.map((r) => r.foreignCores ?? 0)),
  runs, ...(failed.length ? { errors: failed.map((r) => `${r.side} round ${r.round}: ${r.error}`) } : {}),
}));
if (mismatch) {
  console.error(`${net}: the two sides train different networks (ours ${paramsBySide.ours} parameters, PyTorch ${paramsBySide.pytorch}); fix bench/pytorch_yardsticks.py`);
  process.exitCode = 1;
}
if (failed.length === runs.length) process.exitCode = 1;
