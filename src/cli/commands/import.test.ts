// gan-studio import / datasets through the real app: the import runs as a job of the app and
// the dataset it makes is what datasets:list (the UI's list) shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main.js';
import { createApp } from '../../handlers/context.js';
import { call } from '../app-client.js';

let root: string;
const ws = () => join(root, 'ws');
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-cli-import-'));
  await mkdir(join(root, 'imgs'));
  for (let i = 0; i < 4; i++) {
    await sharp({ create: { width: 16, height: 12, channels: 3, background: { r: i * 60, g: 80, b: 30 } } }).png().toFile(join(root, 'imgs', `${i}.png`));
  }
  await copyFile(join(root, 'imgs', '0.png'), join(root, 'imgs', 'copy-of-0.png'));
  await sharp({ create: { width: 40, height: 40, channels: 3, background: '#808080' } }).png().toFile(join(root, 'imgs', 'big.png'));
  await writeFile(join(root, 'imgs', 'notes.png'), 'not an image at all');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args, '--workspace', ws()], { out: (l) => out.push(l), err: (l) => err.push(l), tty: false });
  return { code, out, err };
}

describe('gan-studio import / datasets (thin clients of datasets:*)', () => {
  it('imports a folder as a job, reports refusals per file, and the dataset is listed, shown and deleted', async () => {
    const imported = await cli(['import', join(root, 'imgs'), '--name', 'blocks', '--max-megapixels', '0.001', '--json']);
    expect(imported.code, imported.err.join('\n')).toBe(0);
    const lines = imported.out.map((l) => JSON.parse(l) as Record<string, unknown>);
    // the job's events first, one JSON object per line, then the report
    expect(lines.some((l) => l.type === 'started')).toBe(true);
    expect(lines.some((l) => l.type === 'done')).toBe(true);
    const { report } = lines.at(-1) as { event: string; report: { datasetId: string; accepted: number; duplicates: unknown[]; rejected: Array<{ file: string; code: string }> } };
    expect(lines.at(-1)!.event).toBe('done');
    expect(report.accepted).toBe(4);
    expect(report.duplicates).toHaveLength(1);
    expect(report.rejected.map((r) => r.code).sort()).toEqual(['IMAGE_TOO_LARGE', 'UNSUPPORTED_FORMAT']);

    const app = await createApp({ workspace: ws(), transport: 'cli' });
    try {
      const listed = await call(app, 'datasets:list', {});
      expect(listed.map((d) => [d.id, d.name])).toEqual([[report.datasetId, 'blocks']]);
    } finally {
      await app.close();
    }

    const text = await cli(['datasets']);
    expect(text.code).toBe(0);
    expect(text.out.join('\n')).toContain(report.datasetId);
    const shown = await cli(['datasets', 'show', report.datasetId]);
    expect(shown.code, shown.err.join('\n')).toBe(0);
    expect(shown.out.join('\n')).toMatch(/4 accepted, 1 duplicates, 2 refused/);

    const deleted = await cli(['datasets', 'delete', report.datasetId, '--json']);
    expect(deleted.code).toBe(0);
    expect(JSON.parse((await cli(['datasets', '--json'])).out[0]!)).toEqual([]);
    const missing = await cli(['datasets', 'show', report.datasetId]);
    expect(missing.code).toBe(1);
    expect(missing.err.join('\n')).toMatch(/NOT_FOUND/);
  });

  it('imports a sample set with --limit and prints the text report', async () => {
    const r = await cli(['import', '--sample', 'mnist', '--limit', '20']);
    expect(r.code, r.err.join('\n')).toBe(0);
    const id = /^Imported 20 images into dataset (\S+) \("/.exec(r.out[0]!)?.[1];
    expect(id, r.out.join('\n')).toBeTruthy();
    const list = JSON.parse((await cli(['datasets', '--json'])).out[0]!) as Array<{ id: string; imageCount: number }>;
    expect(list.find((d) => d.id === id)?.imageCount).toBeGreaterThan(0);
  });

  it('refuses a missing path with the job error', async () => {
    const r = await cli(['import', join(root, 'nope')]);
    expect(r.code).toBe(1);
    expect(r.err.join('\n')).toMatch(/nope/);
  });
});
