import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkUrlPath, contentTypeFor, resolveContainedFile } from './safe-path.js';
import { AppError } from '../contract/errors.js';

let base: string;
let root: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'gan-safe-path-'));
  root = join(base, 'root');
  await mkdir(join(root, 'images', 'sub'), { recursive: true });
  await writeFile(join(root, 'images', 'a b.png'), 'png');
  await writeFile(join(root, 'images', 'sub', 'c.png'), 'png');
  await writeFile(join(base, 'secret.txt'), 'secret');
  await symlink(join(base, 'secret.txt'), join(root, 'images', 'escape.txt'));
  await symlink(join(base), join(root, 'outside-dir'));
  await symlink(join(root, 'images', 'sub', 'c.png'), join(root, 'images', 'inside-link.png'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
}

describe('resolveContainedFile', () => {
  it('serves files inside the root, decoding %20 and ignoring a leading slash', async () => {
    expect(await resolveContainedFile(root, '/images/a%20b.png')).toMatch(/images[\\/]a b\.png$/);
    expect(await resolveContainedFile(root, 'images/sub/c.png')).toMatch(/c\.png$/);
    expect(await resolveContainedFile(root, 'images/inside-link.png')).toMatch(/sub[\\/]c\.png$/);
  });

  it.each([
    '../secret.txt',
    'images/../../secret.txt',
    '%2e%2e/secret.txt',
    '%2E%2E/%2e%2e/secret.txt',
    'images/%2e%2e/%2e%2e/secret.txt',
    '..%2fsecret.txt',
    'images%2F..%2F..%2Fsecret.txt',
    '..\\secret.txt',
    'images\\..\\..\\secret.txt',
    '..%5csecret.txt',
    'images/a b.png%00.txt',
    'images/a\u0000.png',
    'C:/Windows/win.ini',
    './images/a%20b.png',
    '%E0%A4%A',
  ])('refuses traversal spelling %j', async (p) => {
    expect(await codeOf(resolveContainedFile(root, p))).toBe('PATH_NOT_ALLOWED');
  });

  it('refuses symlinks that point outside the root', async () => {
    expect(await codeOf(resolveContainedFile(root, 'images/escape.txt'))).toBe('PATH_NOT_ALLOWED');
    expect(await codeOf(resolveContainedFile(root, 'outside-dir/secret.txt'))).toBe('PATH_NOT_ALLOWED');
  });

  it('answers NOT_FOUND for missing files and directories', async () => {
    expect(await codeOf(resolveContainedFile(root, 'images/nope.png'))).toBe('NOT_FOUND');
    expect(await codeOf(resolveContainedFile(root, 'images'))).toBe('NOT_FOUND');
    expect(await codeOf(resolveContainedFile(root, ''))).toBe('NOT_FOUND');
  });

  it('treats decoded paths literally (a file may be named %2e%2e)', async () => {
    expect(checkUrlPath('%252e%252e/x')).toEqual({ ok: true, segments: ['%2e%2e', 'x'] });
    expect(await codeOf(resolveContainedFile(root, '../secret.txt', { decoded: true }))).toBe('PATH_NOT_ALLOWED');
  });

  it('names content types', () => {
    expect(contentTypeFor('x/y.PNG')).toBe('image/png');
    expect(contentTypeFor('index.html')).toContain('text/html');
    expect(contentTypeFor('noext')).toBe('application/octet-stream');
  });
});
