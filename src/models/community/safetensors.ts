// The safetensors format (an 8-byte little-endian header length, a JSON header naming each
// tensor's dtype, shape and byte range, then the raw bytes), read strictly: every check the
// format's own reader makes, each failure an error naming the file and the tensor. No tfjs here —
// the import handler validates a file without loading a tensor runtime.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { AppError } from '../../contract/errors.js';

/** The dtypes we can turn into float32 weights. */
export const SAFETENSORS_DTYPES = { F32: 4, F16: 2, BF16: 2 } as const;
export type SafetensorsDtype = keyof typeof SAFETENSORS_DTYPES;

/** The format's own reader refuses headers over 100 MB; real weight files have a few kB. */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;
/** A 4× RRDBNet is 67 MB in float32; 2 GiB leaves room for any ESRGAN-family file. */
export const MAX_SAFETENSORS_BYTES = 2 * 1024 * 1024 * 1024;

export interface TensorEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** byte range inside the data section */
  begin: number;
  end: number;
}

export interface SafetensorsFile {
  path: string;
  tensors: Map<string, TensorEntry>;
  metadata: Record<string, string>;
  /** the data section (after the header) */
  data: Buffer;
}

function invalid(path: string, message: string): AppError {
  return new AppError('MODEL_INVALID', `${path}: ${message}`);
}

/** Parses and checks the header against the data section's length; throws naming what is wrong. */
export function parseSafetensorsHeader(path: string, headerText: string, dataBytes: number): Pick<SafetensorsFile, 'tensors' | 'metadata'> {
  let header: unknown;
  try {
    header = JSON.parse(headerText);
  } catch (error) {
    throw invalid(path, `the safetensors header is not JSON (${(error as Error).message}); the file is damaged or not a .safetensors file`);
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) throw invalid(path, 'the safetensors header is not a JSON object');
  const tensors = new Map<string, TensorEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (!raw || typeof raw !== 'object' || Array.isArray(raw) || Object.values(raw).some((v) => typeof v !== 'string')) {
        throw invalid(path, '__metadata__ must map names to strings');
      }
      metadata = raw as Record<string, string>;
      continue;
    }
    const entry = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (!entry || typeof entry !== 'object') throw invalid(path, `tensor ${name}: its header entry is not an object`);
    const dtype = entry.dtype;
    if (typeof dtype !== 'string' || !(dtype in SAFETENSORS_DTYPES)) {
      throw invalid(path, `tensor ${name} is ${String(dtype)}; only F32, F16 and BF16 weights are read (convert the file with torch: model.float())`);
    }
    const shape = entry.shape;
    if (!Array.isArray(shape) || shape.length > 8 || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      throw invalid(path, `tensor ${name} has shape ${JSON.stringify(shape)}; every dimension must be a whole number ≥ 0`);
    }
    const offsets = entry.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || offsets.some((o) => !Number.isSafeInteger(o) || o < 0) || offsets[0] > offsets[1]) {
      throw invalid(path, `tensor ${name} has data_offsets ${JSON.stringify(offsets)}; they must be two whole numbers, begin ≤ end`);
    }
    const [begin, end] = offsets as [number, number];
    const elements = (shape as number[]).reduce((n, d) => n * d, 1);
    const bytes = elements * SAFETENSORS_DTYPES[dtype as SafetensorsDtype];
    if (!Number.isSafeInteger(bytes) || end - begin !== bytes) {
      throw invalid(path, `tensor ${name} of shape [${shape.join(', ')}] ${dtype} needs ${bytes} bytes but its offsets span ${end - begin}`);
    }
    if (end > dataBytes) throw invalid(path, `tensor ${name} ends at byte ${end} of the data but the file holds only ${dataBytes}; the file is truncated (download it again)`);
    tensors.set(name, { name, dtype: dtype as SafetensorsDtype, shape: shape as number[], begin, end });
  }
  // tensors must tile the data section exactly: no overlaps (one weight read twice), no gaps
  const sorted = [...tensors.values()].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const t of sorted) {
    if (t.begin < cursor) throw invalid(path, `tensor ${t.name} (bytes ${t.begin}–${t.end}) overlaps the tensor before it; the header lies about its offsets`);
    if (t.begin > cursor) throw invalid(path, `the data has ${t.begin - cursor} unclaimed bytes before tensor ${t.name}; the header lies about its offsets`);
    cursor = t.end;
  }
  if (cursor !== dataBytes) throw invalid(path, `the data section holds ${dataBytes} bytes but the tensors claim ${cursor}; the file is damaged or was cut short`);
  return { tensors, metadata };
}

/** Checks a whole file's bytes: the length prefix, the header, and every tensor's byte range. */
export function parseSafetensors(path: string, all: Buffer): SafetensorsFile {
  if (all.length < 8) throw invalid(path, `the file is ${all.length} bytes, too short for a safetensors header`);
  const headerBytes = all.readBigUInt64LE(0);
  if (headerBytes > BigInt(MAX_HEADER_BYTES)) throw invalid(path, `the header claims ${headerBytes} bytes; at most ${MAX_HEADER_BYTES} are accepted`);
  const n = Number(headerBytes);
  if (8 + n > all.length) throw invalid(path, `the header claims ${n} bytes but the file has only ${all.length - 8} after the length; the file is truncated`);
  const headerText = all.subarray(8, 8 + n).toString('utf8');
  if (!headerText.trimStart().startsWith('{')) throw invalid(path, 'the header does not start with "{"; this is not a .safetensors file');
  const data = all.subarray(8 + n);
  return { path, ...parseSafetensorsHeader(path, headerText, data.length), data };
}

/** Reads a file whole (size-capped, without following a link) for parseSafetensors. */
export async function readModelFileBytes(path: string, cap = MAX_SAFETENSORS_BYTES): Promise<Buffer> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ELOOP') throw invalid(path, 'the file is a link; import the file it points to, or a copy');
    throw new AppError(error.code === 'ENOENT' ? 'NOT_FOUND' : 'UNREADABLE_FILE', `${path} could not be opened (${error.code ?? error.message})`);
  });
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw invalid(path, 'not a regular file');
    if (st.size > cap) throw invalid(path, `the file is ${st.size} bytes; at most ${cap} are read (is this really an image model?)`);
    const all = Buffer.alloc(st.size);
    let read = 0;
    while (read < st.size) {
      const { bytesRead } = await handle.read(all, read, st.size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    if (read !== st.size) throw invalid(path, `only ${read} of ${st.size} bytes could be read; the file changed while it was read`);
    return all;
  } finally {
    await handle.close();
  }
}

/** Reads and checks a whole .safetensors file. */
export async function readSafetensors(path: string): Promise<SafetensorsFile> {
  return parseSafetensors(path, await readModelFileBytes(path));
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** One tensor's values as float32 (F16 and BF16 widened exactly). */
export function tensorValues(file: SafetensorsFile, name: string): Float32Array {
  const t = file.tensors.get(name);
  if (!t) throw invalid(file.path, `tensor ${name} is missing`);
  const bytes = file.data.subarray(t.begin, t.end);
  const count = (t.end - t.begin) / SAFETENSORS_DTYPES[t.dtype];
  const out = new Float32Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (t.dtype === 'F32') for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  else if (t.dtype === 'F16') for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
  else {
    const widened = new DataView(new ArrayBuffer(4));
    for (let i = 0; i < count; i++) {
      widened.setUint32(0, view.getUint16(i * 2, true) << 16);
      out[i] = widened.getFloat32(0);
    }
  }
  for (let i = 0; i < count; i++) {
    if (!Number.isFinite(out[i]!)) throw invalid(file.path, `tensor ${name} holds a non-finite value at index ${i}; the weights are damaged`);
  }
  return out;
}

function floatToHalf(v: number): number {
  const f = new DataView(new ArrayBuffer(4));
  f.setFloat32(0, v);
  const x = f.getUint32(0);
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  const mant = x & 0x7fffff;
  if (exp <= 0) return sign | Math.round((mant | 0x800000) / 2 ** (14 - exp)); // subnormal
  if (exp >= 31) return sign | 0x7c00;
  const rounded = (exp << 10) | Math.round(mant / 8192);
  return sign | rounded; // a mantissa carry rolls into the exponent, which is correct rounding
}

/** Serialises tensors as safetensors (tests and the parity check write their own small models). */
export function encodeSafetensors(tensors: ReadonlyArray<{ name: string; shape: number[]; values: ArrayLike<number> }>, dtype: SafetensorsDtype = 'F32', metadata?: Record<string, string>): Buffer {
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
  const parts: Buffer[] = [];
  let offset = 0;
  for (const t of tensors) {
    const size = SAFETENSORS_DTYPES[dtype];
    const buf = Buffer.alloc(t.values.length * size);
    for (let i = 0; i < t.values.length; i++) {
      const v = t.values[i]!;
      if (dtype === 'F32') buf.writeFloatLE(v, i * 4);
      else if (dtype === 'F16') buf.writeUInt16LE(floatToHalf(v), i * 2);
      else {
        const f = Buffer.alloc(4);
        f.writeFloatLE(v);
        buf.writeUInt16LE(f.readUInt16LE(2), i * 2); // truncation: exact for values made bf16 on purpose
      }
    }
    header[t.name] = { dtype, shape: t.shape, data_offsets: [offset, offset + buf.length] };
    offset += buf.length;
    parts.push(buf);
  }
  let json = Buffer.from(JSON.stringify(header));
  json = Buffer.concat([json, Buffer.from(' '.repeat((8 - (json.length % 8)) % 8))]); // the format pads the header to 8 bytes
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, json, ...parts]);
}
