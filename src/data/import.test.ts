import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, mkdir, writeFile, symlink, readFile, readdir } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../contract/errors.js';
import { recordingReporter, silentReporter } from '../common/reporter.js';
import { openWorkspace, type Workspace } from '../workspace/workspace.js';
import { datasetImageRecords, getDataset, importReportFromJournal, listDatasets } from '../workspace/datasets-repo.js';
import { importIntoWorkspace } from './import.js';
import { inspectImage } from './validate.js';
import { makeBmp, makeImage, makeZip, pngBombHeader, SVG, truncatedJpeg } from './testing/corpus.js';

let tmp: string;
let ws: Workspace;
const ctx = () => ({ signal: new AbortController().signal, report: silentReporter });

async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = join(e.parentPath, e.name);
    out.set(p, createHash('sha256').update(await readFile(p)).digest('hex'));
  }
  return out;
}

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gs-import-'));
  ws = openWorkspace(join(tmp, 'ws'));
});
afterEach(async () => {
  ws.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('import', () => {
  it('imports a folder, refuses each bad file with its own code and never touches originals', async () => {
    const src = join(tmp, 'photos');
    await mkdir(join(src, 'sub', '__MACOSX'), { recursive: true });
    const png = await makeImage('png', 32, 32, { seed: 1 });
    await writeFile(join(src, 'a.png'), png);
    await writeFile(join(src, 'sub', 'a-copy.png'), png); // duplicate
    await writeFile(join(src, 'rotated.jpg'), await makeImage('jpeg', 40, 20, { orientation: 6 }));
    await writeFile(join(src, 'anim.gif'), await makeImage('gif', 16, 16));
    await writeFile(join(src, 'old.bmp'), makeBmp(9, 7));
    await writeFile(join(src, 'deep.png'), await makeImage('png', 20, 20, { bit16: true }));
    await writeFile(join(src, 'big.webp'), await makeImage('webp', 600, 300));
    await writeFile(join(src, 'empty.png'), Buffer.alloc(0));
    await writeFile(join(src, 'cut.jpg'), await truncatedJpeg());
    await writeFile(join(src, 'bomb.png'), pngBombHeader());
    await writeFile(join(src, 'drawing.png'), SVG);
    await writeFile(join(src, '.DS_Store'), 'x');
    await writeFile(join(src, 'Thumbs.db'), 'x');
    await writeFile(join(src, 'sub', '__MACOSX', '._a.png'), 'x');
    await writeFile(join(tmp, 'outside.png'), await makeImage('png', 8, 8, { seed: 9 }));
    await symlink(join(tmp, 'outside.png'), join(src, 'link.png'));
    const before = await snapshot(tmp);

    const { report: reporter, events } = recordingReporter();
    const report = await importIntoWorkspace(ws, { paths: [src], name: 'Holiday photos' }, { signal: new AbortController().signal, report: reporter });

    expect(report.accepted).toBe(6);
    expect(report.duplicates).toEqual([{ file: 'photos/sub/a-copy.png', duplicateOf: 'photos/a.png' }]);
    const codes = Object.fromEntries(report.rejected.map((r) => [r.file, r.code]));
    expect(codes).toEqual({
      'photos/empty.png': 'EMPTY_FILE',
      'photos/cut.jpg': 'CORRUPT_IMAGE',
      'photos/bomb.png': 'IMAGE_TOO_LARGE',
      'photos/drawing.png': 'UNSUPPORTED_FORMAT',
      'photos/link.png': 'SYMLINK_NOT_FOLLOWED',
    });
    for (const r of report.rejected) expect(r.message).toContain(r.file);
    expect(report.skipped).toBe(3);

    // originals untouched; nothing new outside the workspace
    const after = await snapshot(tmp);
    for (const [p, h] of before) if (!p.startsWith(ws.root)) expect(after.get(p), p).toBe(h);
    expect([...after.keys()].filter((p) => !before.has(p) && !p.startsWith(ws.root))).toEqual([]);

    const ds = getDataset(ws.catalog, report.datasetId)!;
    expect(ds).toMatchObject({ name: 'Holiday photos', imageCount: 6, validationCount: 1 });
    expect(ds.stats!.formats).toMatchObject({ png: 2, jpeg: 1, gif: 1, bmp: 1, webp: 1 });
    expect(existsSync(join(ws.root, ds.mosaic!))).toBe(true);
    const records = datasetImageRecords(ws.catalog, report.datasetId);
    const byName = Object.fromEntries(records.map((r) => [r.originalName, r]));
    expect(byName['photos/rotated.jpg']).toMatchObject({ width: 20, height: 40, format: 'png' }); // EXIF applied
    expect(byName['photos/deep.png']).toMatchObject({ format: 'png', sourceFormat: 'png' });
    expect((await inspectImage(await readFile(join(ws.root, byName['photos/deep.png']!.path)), 'x')) ).toMatchObject({ ok: true, info: { bitDepth: 8 } });
    expect(byName['photos/a.png']!.path.endsWith('.png')).toBe(true);
    expect(byName['photos/big.webp']!.thumb).toMatch(/thumbs\/.*\.webp$/);
    for (const r of records) {
      expect(existsSync(join(ws.root, r.path))).toBe(true);
      expect(existsSync(join(ws.root, r.thumb))).toBe(true);
    }
    expect(await readFile(join(ws.root, byName['photos/a.png']!.path))).toEqual(png); // kept byte for byte
    expect(importReportFromJournal(ws.catalog, report.datasetId)).toMatchObject({ accepted: 6, duplicates: report.duplicates });
    const progress = events.filter((e) => e.kind === 'progress').map((e) => e.args[0] as { done: number; total: number; unit: string });
    expect(progress.at(-1)).toMatchObject({ done: 11, total: 11, unit: 'file' }); // the symlink is refused by the scan
  });

  it('refuses unsafe zips, imports a clean one, and keeps a partial one only when asked', async () => {
    const good = await makeImage('png', 16, 16, { seed: 2 });
    const other = await makeImage('png', 16, 16, { seed: 3 });
    await writeFile(join(tmp, 'clean.zip'), makeZip([{ name: 'set/a.png', data: good }, { name: '__MACOSX/._a.png', data: Buffer.from('x') }]));
    await writeFile(join(tmp, 'traversal.zip'), makeZip([{ name: 'ok.png', data: other }, { name: '../evil.png', data: good }]));
    await writeFile(join(tmp, 'link.zip'), makeZip([{ name: 'ok.png', data: other }, { name: 'l.png', data: Buffer.from('/etc/passwd'), mode: 0o120777 }]));
    await writeFile(join(tmp, 'many.zip'), makeZip(Array.from({ length: 20_000 }, (_, i) => ({ name: `f${i}.png`, data: Buffer.alloc(0), compress: false }))));
    await writeFile(join(tmp, 'bomb.zip'), makeZip([{ name: 'zeros.bmp', data: Buffer.alloc(20 * 1024 * 1024) }]));
    await writeFile(join(tmp, 'notazip.zip'), 'this is not a zip');

    const paths = ['clean.zip', 'traversal.zip', 'link.zip', 'many.zip', 'bomb.zip', 'notazip.zip'].map((n) => join(tmp, n));
    const report = await importIntoWorkspace(ws, { paths }, ctx());
    expect(report.accepted).toBe(1);
    const codes = report.rejected.map((r) => `${r.file} ${r.code}`);
    expect(codes).toEqual(expect.arrayContaining([
      'traversal.zip/../evil.png ZIP_UNSAFE_PATH',
      'traversal.zip ZIP_UNSAFE_PATH',
      'link.zip/l.png ZIP_SYMLINK',
      'link.zip ZIP_SYMLINK',
      'many.zip ZIP_TOO_MANY_ENTRIES',
      'bomb.zip/zeros.bmp ZIP_RATIO_TOO_HIGH',
      'notazip.zip ZIP_CORRUPT',
    ]));
    expect(report.skipped).toBe(1);
    expect(existsSync(join(tmp, 'evil.png'))).toBe(false);
    expect(existsSync(join(ws.root, 'evil.png'))).toBe(false);
    expect(await readdir(ws.layout.staging)).toEqual([]);

    // refused alone: one sentence with the user's name for the archive, one count, each reason once, the fix
    const alone = await importIntoWorkspace(ws, { paths: [join(tmp, 'traversal.zip')] }, ctx()).catch((e: unknown) => e);
    expect(alone).toBeInstanceOf(AppError);
    const aloneMessage = (alone as AppError).message;
    expect((alone as AppError).code).toBe('ZIP_UNSAFE_PATH');
    expect(aloneMessage).toMatch(/^no usable images: archive traversal\.zip was not imported because 1 of its 2 entries was refused \(traversal\.zip\/\.\.\/evil\.png: .+\) — .*--accept-partial/);
    expect(aloneMessage.split('evil.png').length - 1).toBe(1);
    expect(aloneMessage).not.toContain(tmp);
    expect(aloneMessage).not.toMatch(/\d+ refused/);
    const partial = await importIntoWorkspace(ws, { paths: [join(tmp, 'traversal.zip')], acceptPartial: true }, ctx());
    expect(partial.accepted).toBe(1);
    expect(partial.rejected.map((r) => r.code)).toEqual(['ZIP_UNSAFE_PATH']);
    const tooBig = await importIntoWorkspace(ws, { paths: [join(tmp, 'clean.zip'), join(tmp, 'link.zip')], zipLimits: { maxTotalBytes: 10 } }, ctx()).catch((e: unknown) => e);
    expect(tooBig).toBeInstanceOf(AppError);
    expect((tooBig as AppError).message).toMatch(/ZIP|unpacks to/);
  });

  it('rolls back on cancel and when nothing is usable; dedupes across datasets by hard link', async () => {
    const src = join(tmp, 'imgs');
    await mkdir(src);
    for (let i = 0; i < 40; i++) await writeFile(join(src, `${i}.png`), await makeImage('png', 8, 8, { seed: i }));
    const controller = new AbortController();
    let calls = 0;
    const report = { ...silentReporter, progress: () => void (++calls === 2 && controller.abort(new AppError('CANCELLED', 'cancelled by the user'))) };
    await expect(importIntoWorkspace(ws, { paths: [src], concurrency: 1 }, { signal: controller.signal, report })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(ws.catalog.db.prepare('SELECT id FROM datasets').all()).toEqual([]);
    expect(await readdir(ws.layout.datasets)).toEqual([]);

    await writeFile(join(tmp, 'bad.png'), SVG);
    await expect(importIntoWorkspace(ws, { paths: [join(tmp, 'bad.png')] }, ctx())).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT', message: expect.stringMatching(/bad\.png: is an SVG/) });

    const first = await importIntoWorkspace(ws, { paths: [src], name: 'one' }, ctx());
    const second = await importIntoWorkspace(ws, { paths: [src], name: 'two' }, ctx());
    expect(second.accepted).toBe(40);
    const a = datasetImageRecords(ws.catalog, first.datasetId)[0]!;
    const b = datasetImageRecords(ws.catalog, second.datasetId).find((r) => r.hash === a.hash)!;
    expect(statSync(join(ws.root, a.path)).ino).toBe(statSync(join(ws.root, b.path)).ino);
    expect(listDatasets(ws.catalog).map((d) => d.name).sort()).toEqual(['one', 'two']);
    // the validation split is fixed by content: both datasets hold out the same images
    const val = (id: string) => datasetImageRecords(ws.catalog, id, 'validation').map((r) => r.hash);
    expect(val(first.datasetId)).toEqual(val(second.datasetId));
    expect(val(first.datasetId)).toHaveLength(4);
  });
});
