// Server mode (`serve --allow A`): a path is judged by where it really leads. `A/lnk` is a link
// to a folder outside A; nothing may be written through it (models:export out, batch:start out
// and report), nor through a link that leads nowhere, while real folders inside A still work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lstat, mkdir, mkdtemp, readdir, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { invoke } from '../contract/api.js';
import { createApp, type App } from './context.js';
import { checkUserPath } from './user-paths.js';

let base: string;
let allowed: string;
let outside: string;
let app: App;

beforeAll(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'gs-userpath-')));
  allowed = join(base, 'A');
  outside = join(base, 'outside');
  await mkdir(allowed, { recursive: true });
  await mkdir(outside, { recursive: true });
  await symlink(outside, join(allowed, 'lnk'));
  await symlink(join(outside, 'not-yet'), join(allowed, 'dangling'));
  await sharp({ create: { width: 8, height: 8, channels: 3, background: '#804020' } }).png().toFile(join(allowed, 'in.png'));
  app = await createApp({ workspace: join(base, 'ws'), engine: 'inline', transport: 'http', allow: [allowed] });
});

afterAll(async () => {
  await app?.close();
  await rm(base, { recursive: true, force: true });
});

async function errorCode(method: string, input: unknown): Promise<string> {
  const r = await invoke(app.handlers, method, input);
  return r.ok ? 'ok' : r.error.code;
}

describe('user paths under --allow', () => {
  it('refuses outputs through a symlinked parent, writing nothing outside', async () => {
    const batch = { task: 'superres', model: 'esrgan-slim', scale: 2, inputs: [join(allowed, 'in.png')] };
    expect(await errorCode('models:export', { id: 'esrgan-slim-x2', out: join(allowed, 'lnk', 'exp') })).toBe('PATH_NOT_ALLOWED');
    expect(await errorCode('batch:start', { spec: { ...batch, out: join(allowed, 'lnk', 'out') } })).toBe('PATH_NOT_ALLOWED');
    expect(await errorCode('batch:start', { spec: { ...batch, out: join(allowed, 'ok-out'), report: join(allowed, 'lnk', 'deep', 'report.json') } })).toBe('PATH_NOT_ALLOWED');
    expect(await errorCode('models:export', { id: 'esrgan-slim-x2', out: join(allowed, 'dangling', 'exp') })).toBe('PATH_NOT_ALLOWED');
    expect(await readdir(outside)).toEqual([]);
  });

  it('refuses reads through a symlinked parent and relative paths', async () => {
    await expect(checkUserPath(join(allowed, 'lnk'), [allowed])).rejects.toMatchObject({ code: 'PATH_NOT_ALLOWED' });
    await expect(checkUserPath(join(allowed, 'lnk', 'x.png'), [allowed])).rejects.toMatchObject({ code: 'PATH_NOT_ALLOWED' });
    await expect(checkUserPath('A/in.png', [allowed])).rejects.toMatchObject({ code: 'PATH_NOT_ALLOWED' });
    // `..` is folded before the check: A/lnk/.. is A itself, never the link's parent
    expect(await checkUserPath(join(allowed, 'lnk', '..', 'in.png'), [allowed])).toBe(join(allowed, 'in.png'));
  });

  it('makes missing output folders inside the allowed root, as real folders', async () => {
    const dir = await checkUserPath(join(allowed, 'new', 'deeper'), [allowed], 'dir');
    expect(dir).toBe(join(allowed, 'new', 'deeper'));
    expect((await lstat(dir)).isDirectory()).toBe(true);
    const file = await checkUserPath(join(allowed, 'reports', 'r.json'), [allowed], 'file');
    expect(file).toBe(join(allowed, 'reports', 'r.json'));
    expect((await lstat(join(allowed, 'reports'))).isDirectory()).toBe(true);
    await expect(lstat(file)).rejects.toThrow();
    // an allowed root reached through a link is judged by its real path too
    await symlink(allowed, join(base, 'A-link'));
    expect(await checkUserPath(join(allowed, 'in.png'), [join(base, 'A-link')])).toBe(join(allowed, 'in.png'));
  });

  it('leaves paths alone without an allow-list (the desktop app, the CLI)', async () => {
    expect(await checkUserPath(join(allowed, 'lnk', 'x'), undefined, 'dir')).toBe(join(allowed, 'lnk', 'x'));
    expect(await readdir(outside)).toEqual([]);
  });
});
