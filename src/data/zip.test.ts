// Zip bombs that slip under a per-entry check (issue #27 item 7): 400 entries of exactly 1 MiB
// used to extract 400 MiB from a ~0.5 MB archive because only entries over 1 MiB were judged.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../contract/errors.js';
import { silentReporter } from '../common/reporter.js';
import { openWorkspace, type Workspace } from '../workspace/workspace.js';
import { importIntoWorkspace } from './import.js';
import { makeImage, makeZip } from './testing/corpus.js';
import { listZipEntries } from '../jobs/batch/zip-input.js';
import { planZip, RATIO_FLOOR_BYTES } from './zip.js';

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'gs-zip-'));
});
afterEach(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function zipFile(name: string, entries: Parameters<typeof makeZip>[0]): Promise<string> {
  const path = join(tmp, name);
  await writeFile(path, makeZip(entries));
  return path;
}

describe('zip bombs', () => {
  it('refuses 400 entries of exactly 1 MiB each, entry by entry, before extracting anything', async () => {
    const zeros = Buffer.alloc(1024 * 1024);
    const path = await zipFile('many-mib.zip', Array.from({ length: 400 }, (_, i) => ({ name: `z${i}.bmp`, data: zeros })));
    const planned = await planZip(path, 'many-mib.zip');
    expect(planned.ok).toBe(true);
    if (!planned.ok) return;
    planned.plan.zip.close();
    expect(planned.plan.entries).toHaveLength(0);
    expect(planned.plan.refused).toHaveLength(400);
    expect(new Set(planned.plan.refused.map((r) => r.code))).toEqual(new Set(['ZIP_RATIO_TOO_HIGH']));

    const ws: Workspace = openWorkspace(join(tmp, 'ws'));
    try {
      const error = await importIntoWorkspace(ws, { paths: [path], acceptPartial: true }, { signal: new AbortController().signal, report: silentReporter }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).message).toMatch(/expands \d+× \(over the 100× limit\)/);
      expect(await readdir(ws.layout.datasets)).toEqual([]);
    } finally {
      ws.close();
    }
  });

  it('refuses the whole archive when many entries under the per-entry floor add up to a bomb', async () => {
    const small = Buffer.alloc(RATIO_FLOOR_BYTES);
    const path = await zipFile('many-small.zip', Array.from({ length: 1500 }, (_, i) => ({ name: `s${i}.bmp`, data: small })));
    const planned = await planZip(path, 'many-small.zip');
    expect(planned.ok).toBe(false);
    if (planned.ok) return;
    expect(planned.code).toBe('ZIP_RATIO_TOO_HIGH');
    expect(planned.message).toMatch(/^many-small\.zip: the archive \(.+\) unpacks to 94 MB, \d+× its size \(over the 100× limit\)/);
  });

  it('refuses an entry larger than the dataset allows one file, before extracting it', async () => {
    const image = await makeImage('png', 64, 64, { seed: 1 });
    const path = await zipFile('big-entry.zip', [{ name: 'ok.png', data: image }, { name: 'big.png', data: Buffer.concat([image, Buffer.alloc(4096)]), compress: false }]);
    const planned = await planZip(path, 'big-entry.zip', { maxEntries: 10, maxTotalBytes: 2 ** 30, maxEntryBytes: image.length + 100, maxRatio: 100 });
    expect(planned.ok).toBe(true);
    if (!planned.ok) return;
    planned.plan.zip.close();
    expect(planned.plan.entries.map((e) => e.name)).toEqual(['big-entry.zip/ok.png']);
    expect(planned.plan.refused.map((r) => `${r.name} ${r.code}`)).toEqual(['big-entry.zip/big.png ZIP_TOO_LARGE']);
  });

  it('refuses the same bombs as batch inputs, whole, when the batch is planned', async () => {
    const zeros = Buffer.alloc(1024 * 1024);
    const mib = await zipFile('batch-mib.zip', Array.from({ length: 400 }, (_, i) => ({ name: `z${i}.bmp`, data: zeros })));
    await expect(listZipEntries(mib)).rejects.toMatchObject({ code: 'ZIP_RATIO_TOO_HIGH', message: expect.stringMatching(/batch-mib\.zip was refused: its entry "z0\.bmp" expands \d+×/) });
    const floor = Buffer.alloc(RATIO_FLOOR_BYTES);
    const small = await zipFile('batch-small.zip', Array.from({ length: 1500 }, (_, i) => ({ name: `s${i}.bmp`, data: floor })));
    await expect(listZipEntries(small)).rejects.toMatchObject({ code: 'ZIP_RATIO_TOO_HIGH', message: expect.stringMatching(/unpacks to \d+× its size/) });
  });

  it('still plans an ordinary archive of images', async () => {
    const entries = await Promise.all(Array.from({ length: 5 }, async (_, i) => ({ name: `set/${i}.png`, data: await makeImage('png', 32, 32, { seed: i }) })));
    const path = await zipFile('ok.zip', entries);
    expect(await listZipEntries(path)).toHaveLength(5);
    const planned = await planZip(path, 'ok.zip');
    expect(planned.ok).toBe(true);
    if (planned.ok) {
      planned.plan.zip.close();
      expect(planned.plan.entries).toHaveLength(5);
    }
  });
});
