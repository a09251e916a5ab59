// Tiny real data for the e2e flows: emoji PNGs from the emoji-datasource packages (64×64 RGBA),
// copied into temp folders, plus the kinds of broken files people really drop.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type EmojiStyle = 'google' | 'twitter';

/** Absolute paths of `count` emoji of one style, starting at `offset` (sorted, so stable). */
export function emojiPaths(style: EmojiStyle, count: number, offset = 0): string[] {
  const dir = join(ROOT, 'node_modules', `emoji-datasource-${style}`, 'img', style, '64');
  const names = readdirSync(dir).filter((n) => n.endsWith('.png')).sort();
  if (names.length < offset + count) throw new Error(`${dir} holds ${names.length} PNGs, need ${offset + count}`);
  return names.slice(offset, offset + count).map((n) => join(dir, n));
}

/** Copies `count` emoji into `dir` (created) and returns the copied paths. */
export function copyEmoji(dir: string, style: EmojiStyle, count: number, offset = 0): string[] {
  mkdirSync(dir, { recursive: true });
  return emojiPaths(style, count, offset).map((src) => {
    const dest = join(dir, src.split('/').pop()!);
    copyFileSync(src, dest);
    return dest;
  });
}

export interface BadFile {
  name: string;
  bytes: Buffer;
  /** the ErrorCode the import report should give it */
  code: string;
}

/** Three files a real folder holds by accident: empty, an SVG renamed .png, a PNG cut in half. */
export function badFiles(): BadFile[] {
  const png = readFileSync(emojiPaths('google', 1, 100)[0]!);
  return [
    { name: 'empty.png', bytes: Buffer.alloc(0), code: 'EMPTY_FILE' },
    {
      name: 'vector.png',
      bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><circle cx="32" cy="32" r="30" fill="red"/></svg>\n'),
      code: 'UNSUPPORTED_FORMAT',
    },
    { name: 'truncated.png', bytes: png.subarray(0, Math.floor(png.length / 2)), code: 'CORRUPT_IMAGE' },
  ];
}

export function writeBadFiles(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return badFiles().map((f) => {
    const path = join(dir, f.name);
    writeFileSync(path, f.bytes);
    return path;
  });
}
