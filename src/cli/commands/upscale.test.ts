import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gs-upscale-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('gan-studio upscale', () => {
  it('walks folders keeping the tree, never overwrites, and prints JSON', async () => {
    const src = join(dir, 'photos');
    await mkdir(join(src, 'nested'), { recursive: true });
    const img = (color: string) => sharp({ create: { width: 10, height: 8, channels: 3, background: color } });
    await img('#804020').png().toFile(join(src, 'a.png'));
    await img('#204080').jpeg().toFile(join(src, 'nested', 'b.jpg'));
    const out = join(dir, 'out');
    await mkdir(join(out, 'photos'), { recursive: true });
    await writeFile(join(out, 'photos', 'a.png'), 'keep me');
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(`ERR ${l}`), tty: false };
    const code = await main(['upscale', '--model', 'esrgan-slim', '--scale', '2', '--backend', 'wasm', '--format', 'webp', '--json', src, '--out', out], io);
    expect(code, lines.join('\n')).toBe(0);
    const events = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { event: string; output?: string; width?: number });
    expect(events.filter((e) => e.event === 'file').map((e) => e.width)).toEqual([20, 20]);
    expect((await readdir(join(out, 'photos'))).sort()).toEqual(['a.png', 'a.webp', 'nested']);
    expect(await readdir(join(out, 'photos', 'nested'))).toEqual(['b.webp']);

    const again = await main(['upscale', '--model', 'esrgan-slim', '--backend', 'wasm', '--format', 'webp', join(src, 'a.png'), '--out', join(out, 'photos')], io);
    expect(again).toBe(0);
    expect((await readdir(join(out, 'photos'))).sort()).toEqual(['a-1.webp', 'a.png', 'a.webp', 'nested']);
  });

  it('refuses an unknown model with a clear message', async () => {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), tty: false };
    const code = await main(['upscale', '--model', join(dir, 'nope'), '--backend', 'wasm', join(dir, 'photos'), '--out', join(dir, 'o2')], io);
    expect(code).toBe(1);
    expect(lines.join('\n')).toMatch(/NOT_FOUND: --model .*not a pretrained model/);
  });
});
