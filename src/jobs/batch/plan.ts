// Plans a batch when it is queued: which inputs, in which order, and the output name of each.
//
// Naming rule (one-to-one, never clobbering):
//  - each input folder or zip is the root of its tree: `photos/trip/a.jpg` given as the folder
//    `photos` becomes `<out>/trip/<name>`; a file given directly goes to `<out>/<name>`;
//  - `<name>` keeps the whole input file name and adds the output format's extension unless the
//    input already has it: `a.png` → `a.png`, `a.jpg` → `a.jpg.png`, `a.JPEG` → `a.JPEG.png`
//    (so `a.png` and `a.jpg` never collide); with the format 'input', a png, jpg or webp input
//    keeps its name and format, anything else gets `.png`;
//  - a folder contributes its image files (common/image-files.ts: one extension list, hidden
//    files left out), in the same order everywhere;
//  - if that name is taken — by another item of the batch, or by a file already in the output
//    folder that this batch did not write for the same input and settings — ` (2)`, ` (3)`, ...
//    goes before the extension: `a (2).png`.
// Generation batches have no inputs: item i is `gen-000001.png`, ... with seed + i.
import { lstat, stat } from 'node:fs/promises';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import { AppError } from '../../contract/errors.js';
import type { BatchSpec } from '../../contract/batch.js';
import { listImageTree } from '../../common/image-files.js';
import { listZipEntries, safeEntryRel } from './zip-input.js';
import { readManifest, sourceKey, type Manifest } from './manifest.js';
import { taskDefinition } from '../../tasks/index.js';

export interface PlannedItem {
  seq: number;
  /** absolute path of the input file; for a zip entry, the zip's path */
  input: string;
  /** entry name inside the zip, when the input is a zip */
  entry?: string;
  /** how the report names it: the path, or `zip!entry` */
  label: string;
  /** output path relative to the output folder, '/'-separated */
  output: string;
  /** identity of the input (path, size, mtime or crc) for rerun skipping */
  key: string;
}

export interface BatchPlan {
  outDir: string;
  settingsHash: string;
  items: PlannedItem[];
}

const FORMAT_EXT: Record<string, string[]> = { png: ['.png'], jpg: ['.jpg', '.jpeg'], webp: ['.webp'] };

export function outputName(fileName: string, format: BatchSpec['format']): string {
  const ext = extname(fileName).toLowerCase();
  if (format === 'input') return Object.values(FORMAT_EXT).some((exts) => exts.includes(ext)) ? fileName : `${fileName}.png`;
  return FORMAT_EXT[format]!.includes(ext) ? fileName : `${fileName}.${format}`;
}

/** `a.png` → `a (2).png`: the name a batch (or the CLI copying compare results) gives an output whose name is taken. */
export function withCounter(rel: string, n: number): string {
  const ext = extname(rel);
  return `${rel.slice(0, rel.length - ext.length)} (${n})${ext}`;
}

/** `dir/name`, or `dir/name (2)`, `(3)`... whichever is free on disk and not in `taken` (which it joins). */
export async function freeOutputPath(dir: string, name: string, taken: Set<string>): Promise<string> {
  for (let n = 1; ; n++) {
    const path = join(dir, n === 1 ? name : withCounter(name, n));
    if (!taken.has(path.toLowerCase()) && !(await exists(path))) {
      taken.add(path.toLowerCase());
      return path;
    }
  }
}

function isInside(child: string, parent: string): boolean {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..') && !r.startsWith(sep) && !/^[A-Za-z]:/.test(r));
}

export async function planBatch(spec: BatchSpec, outDir: string, settingsHash: string): Promise<BatchPlan> {
  const out = resolve(outDir);
  const manifest: Manifest = await readManifest(out);
  const raw: Array<Omit<PlannedItem, 'seq' | 'output'> & { rel: string }> = [];

  const seeded = taskDefinition(spec.task).batchInput === 'seeds';
  if (seeded) {
    const count = spec.count ?? 16;
    for (let i = 0; i < count; i++) {
      const name = `gen-${String(i + 1).padStart(6, '0')}.${spec.format === 'input' ? 'png' : spec.format}`;
      raw.push({ input: '', label: `seed ${(spec.seed ?? 0) + i}`, rel: name, key: `generate:${(spec.seed ?? 0) + i}` });
    }
  } else {
    if (!spec.inputs.length) throw new AppError('INVALID_ARGUMENT', `a ${spec.task} batch needs at least one input file, folder or zip`);
    for (const input of spec.inputs.map((p) => resolve(p))) {
      if (isInside(out, input)) {
        throw new AppError('INVALID_ARGUMENT', `the output folder ${out} is inside the input ${input}: the input tree is never written to — pick an output folder elsewhere`);
      }
      let st;
      try {
        st = await lstat(input);
      } catch {
        throw new AppError('NOT_FOUND', `input ${input} does not exist; check the path`);
      }
      if (st.isDirectory()) {
        for (const f of await listImageTree(input)) raw.push({ input: f.path, label: f.path, rel: f.rel, key: '' });
      } else if (extname(input).toLowerCase() === '.zip') {
        for (const e of await listZipEntries(input)) {
          raw.push({ input, entry: e.name, label: `${input}!${e.name}`, rel: safeEntryRel(e.name), key: `${input}!${e.name}:${e.crc32}:${e.size}` });
        }
      } else {
        raw.push({ input, label: input, rel: basename(input), key: '' });
      }
    }
  }

  const taken = new Set<string>();
  const items: PlannedItem[] = [];
  for (const [seq, r] of raw.entries()) {
    const key = r.key || (await sourceKey(r.input));
    const dir = r.rel.includes('/') ? r.rel.slice(0, r.rel.lastIndexOf('/') + 1) : '';
    const base = seeded ? r.rel : `${dir}${outputName(r.rel.slice(dir.length), spec.format)}`;
    let name = base;
    for (let n = 2; ; n++) {
      const lower = name.toLowerCase(); // case-insensitive file systems (macOS, Windows)
      const mine = manifest.get(name);
      const free = !taken.has(lower) && (mine ? mine.key === key && mine.settings === settingsHash : !(await exists(join(out, name))));
      if (free) break;
      name = withCounter(base, n);
    }
    taken.add(name.toLowerCase());
    items.push({ seq, input: r.input, ...(r.entry ? { entry: r.entry } : {}), label: r.label, output: name, key });
  }
  return { outDir: out, settingsHash, items };
}

/** whether `path` exists (a file or a folder): the batch's planner and its item steps ask the same */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
