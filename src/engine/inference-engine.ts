// Which engine runs inference of our own image networks (trained SR and CycleGAN runs, the
// shipped ESRGANs) when tfjs sits on a CPU backend: tfjs itself, or ONNX Runtime's CPU provider
// on the same network converted in memory (src/models/onnx). Which one is faster depends on the
// machine (SIMD width, cores, ORT's thread pool against tfjs-wasm's one thread), so it is
// measured, not assumed: `npm run bench -- --only ort` times both at equal output and records
// the winner here, keyed by the CPU; until then tfjs keeps the work (the documented default).
// GAN_STUDIO_INFERENCE=tfjs|ort forces one; a GPU or native tfjs backend always keeps tfjs.
import { cpus } from 'node:os';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { backendCachePath } from './backend-cache.js';

export type InferenceEngine = 'tfjs' | 'ort';

export interface InferenceEngineChoice {
  engine: InferenceEngine;
  reason: string;
}

export interface InferenceBenchRecord {
  engine: InferenceEngine;
  /** ORT megapixels/s over tfjs's, per network the bench ran (geometric mean decides) */
  ratios: Record<string, number>;
  cpu: string;
  cores: number;
  measuredAt: number;
  /** a result taken while other processes used the CPU does not decide anything */
  busy: boolean;
}

const CPU_BACKENDS = new Set(['wasm', 'cpu']);

/** Beside the backend choice (same override: GAN_STUDIO_BACKEND_CACHE=off disables both). */
export function inferenceEngineCachePath(): string | null {
  const backend = backendCachePath();
  return backend ? join(dirname(backend), 'inference-engine.json') : null;
}

const machine = () => ({ cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length });

export function readInferenceBenchRecord(): InferenceBenchRecord | null {
  const path = inferenceEngineCachePath();
  if (!path) return null;
  try {
    const r = JSON.parse(readFileSync(path, 'utf8')) as InferenceBenchRecord;
    const here = machine();
    return r.cpu === here.cpu && r.cores === here.cores && (r.engine === 'ort' || r.engine === 'tfjs') ? r : null;
  } catch {
    return null;
  }
}

/** The bench's verdict for this machine (written atomically; a busy measurement is kept but not used). */
export function writeInferenceBenchRecord(ratios: Record<string, number>, busy: boolean): InferenceBenchRecord | null {
  const path = inferenceEngineCachePath();
  const values = Object.values(ratios).filter((r) => Number.isFinite(r) && r > 0);
  if (!path || !values.length) return null;
  const geoMean = Math.exp(values.reduce((a, r) => a + Math.log(r), 0) / values.length);
  const record: InferenceBenchRecord = { engine: geoMean > 1 ? 'ort' : 'tfjs', ratios, ...machine(), measuredAt: Date.now(), busy };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify(record, null, 2));
  renameSync(`${path}.tmp`, path);
  return record;
}

/** The engine for our networks' inference, given the tfjs backend in use, and why. */
export function chooseInferenceEngine(tfBackend: string): InferenceEngineChoice {
  const forced = process.env.GAN_STUDIO_INFERENCE;
  if (forced === 'tfjs' || forced === 'ort') return { engine: forced, reason: `GAN_STUDIO_INFERENCE=${forced}` };
  if (!CPU_BACKENDS.has(tfBackend)) return { engine: 'tfjs', reason: `tfjs runs on ${tfBackend}, not a CPU backend` };
  const record = readInferenceBenchRecord();
  if (!record) return { engine: 'tfjs', reason: 'the default, not measured on this machine: npm run bench -- --only ort measures it' };
  if (record.busy) return { engine: 'tfjs', reason: 'default: the last measurement ran on a busy machine; rerun npm run bench -- --only ort when idle' };
  const ratios = Object.entries(record.ratios).map(([k, v]) => `${k} ${v.toFixed(2)}×`).join(', ');
  return { engine: record.engine, reason: `measured ${new Date(record.measuredAt).toISOString().slice(0, 10)}: ONNX Runtime vs tfjs ${ratios}` };
}
