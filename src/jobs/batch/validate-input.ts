// Checks one batch input before it is processed, with the same codes as dataset import. Uses
// the data module's validator when it is in this build; this fallback covers the same cases.
import { open, stat } from 'node:fs/promises';
import sharp from 'sharp';
import { AppError, type ErrorCode } from '../../contract/errors.js';
import { importOptional } from '../engine-tasks.js';

type Validation = { ok: true; info?: unknown } | { ok: false; code: ErrorCode; message: string };
type Validator = (path: string, options: { maxPixels: number }) => Promise<Validation>;

let shared: Validator | null | undefined;

export async function validateInput(path: string, label: string, maxPixels: number): Promise<void> {
  if (shared === undefined) {
    try {
      shared = (await importOptional<{ validateImageFile: Validator }>('../data/validate.js', 'image validation')).validateImageFile;
    } catch {
      shared = null;
    }
  }
  const result = shared ? await shared(path, { maxPixels }) : await fallback(path, maxPixels);
  if (!result.ok) throw new AppError(result.code, result.message.includes(label) || result.message.includes(path) ? result.message : `${label}: ${result.message}`);
}

async function fallback(path: string, maxPixels: number): Promise<Validation> {
  let size: number;
  try {
    const st = await stat(path);
    size = st.size;
    const fh = await open(path, 'r');
    await fh.close();
  } catch (error) {
    return { ok: false, code: 'UNREADABLE_FILE', message: `${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): check it still exists and you may read it` };
  }
  if (size === 0) return { ok: false, code: 'EMPTY_FILE', message: `${path} is empty (0 bytes): re-export or re-download it` };
  let meta;
  try {
    meta = await sharp(path, { limitInputPixels: false }).metadata();
  } catch {
    return { ok: false, code: 'UNSUPPORTED_FORMAT', message: `${path} is not a PNG, JPEG, WebP, GIF, BMP or TIFF image (checked by its content, not its name)` };
  }
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (pixels > maxPixels) {
    return { ok: false, code: 'IMAGE_TOO_LARGE', message: `${path} is ${meta.width}×${meta.height} (${pixels} pixels), over the limit of ${maxPixels}: shrink it first or raise the pixel limit` };
  }
  try {
    await sharp(path, { failOn: 'error', limitInputPixels: maxPixels }).raw().toBuffer();
  } catch (error) {
    return { ok: false, code: 'CORRUPT_IMAGE', message: `${path} is truncated or corrupt (${(error as Error).message.split('\n')[0]}): re-export it` };
  }
  return { ok: true };
}
