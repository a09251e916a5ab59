// ONNX Runtime (onnxruntime-node), loaded only when an .onnx model is run or exported-and-checked:
// its native binding is a few tens of MB and may not load on every machine (an unusual libc, a
// platform without prebuilt binaries), and nothing else in the studio needs it. A failed load is
// one clear error that says what to do; `doctor` shows the same reason in its table.
import { AppError } from '../contract/errors.js';

type Ort = typeof import('onnxruntime-node');
export type OrtSession = import('onnxruntime-node').InferenceSession;

let loading: Promise<Ort> | null = null;

/** The onnxruntime-node module, imported once; throws ENGINE_UNAVAILABLE naming the cause and the fix. */
export function loadOnnxRuntime(): Promise<Ort> {
  loading ??= (async () => {
    try {
      const mod = await import('onnxruntime-node');
      // the CommonJS package comes through as a default export under some loaders
      return ((mod as unknown as { default?: Ort }).default?.InferenceSession ? (mod as unknown as { default: Ort }).default : mod) as Ort;
    } catch (error) {
      loading = null;
      throw new AppError('BACKEND_UNAVAILABLE', `ONNX Runtime (onnxruntime-node) could not be loaded: ${(error as Error).message}. `
        + 'Run `npm ci` in the studio folder; on a platform without its prebuilt binaries, .onnx models cannot run (export still works)');
    }
  })();
  return loading;
}

export interface OrtProviders {
  available: boolean;
  version: string | null;
  /** execution providers this build carries (cpu always; cuda/tensorrt where their libraries are installed) */
  providers: Array<{ name: string; bundled: boolean }>;
  error?: string;
}

/** What `doctor` lists: whether ORT loads, its version and its execution providers. */
export async function onnxRuntimeProviders(): Promise<OrtProviders> {
  try {
    const ort = await loadOnnxRuntime();
    const list = (ort as unknown as { listSupportedBackends?: () => Array<{ name: string; bundled: boolean }> }).listSupportedBackends?.() ?? [{ name: 'cpu', bundled: true }];
    return { available: true, version: ort.env.versions?.common ?? null, providers: list.map(({ name, bundled }) => ({ name, bundled })) };
  } catch (error) {
    return { available: false, version: null, providers: [], error: (error as Error).message };
  }
}

/** Threads ORT's CPU provider uses for one operator; default: ORT's own choice (one per core). */
function intraOpThreads(): number | undefined {
  const raw = process.env.GAN_STUDIO_ORT_THREADS;
  const n = raw ? Number(raw) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** A CPU session for the model bytes (or file); the caller releases it. */
export async function createOrtSession(model: Uint8Array | string, what: string): Promise<OrtSession> {
  const ort = await loadOnnxRuntime();
  const threads = intraOpThreads();
  const options = { executionProviders: ['cpu'], graphOptimizationLevel: 'all' as const, ...(threads ? { intraOpNumThreads: threads } : {}) };
  try {
    return typeof model === 'string' ? await ort.InferenceSession.create(model, options) : await ort.InferenceSession.create(model, options);
  } catch (error) {
    throw new AppError('MODEL_INVALID', `${what}: ONNX Runtime cannot load it (${(error as Error).message.split('\n')[0]}); check that it is a complete .onnx file of opset 7 or newer`);
  }
}

/** Runs a one-input one-output float32 session. */
export async function runOrt(session: OrtSession, data: Float32Array, dims: number[]): Promise<{ data: Float32Array; dims: number[] }> {
  const ort = await loadOnnxRuntime();
  const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', data, dims) };
  const results = await session.run(feeds);
  const out = results[session.outputNames[0]!]!;
  try {
    if (out.type !== 'float32') throw new AppError('MODEL_INVALID', `the model's output is ${out.type}, not float32; only float32 image models run here`);
    return { data: out.data as Float32Array, dims: [...out.dims] };
  } finally {
    for (const t of Object.values(results)) t.dispose?.();
  }
}
