// Issue #27 item 8: names holding terminal escapes (ESC]0;…BEL retitles, ESC[2J clears) print
// escaped in `import` and `datasets list/show`, whatever part of the output quotes them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './testing/cli-harness.js';
import { terminalText } from './terminal-text.js';

const TITLE = '\u001b]0;pwned\u0007';
const CLEAR = '\u001b[2J';
// what must never reach the terminal
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-cli-escapes-'));
  const dir = join(root, `imgs${CLEAR}`);
  await mkdir(dir);
  const png = await sharp({ create: { width: 12, height: 12, channels: 3, background: '#446688' } }).png().toBuffer();
  await writeFile(join(dir, 'ok.png'), png);
  await writeFile(join(dir, `dup${CLEAR}.png`), png);
  await writeFile(join(dir, `bad${TITLE}\u202e.png`), 'not an image');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function cli(args: string[]) {
  const r = await runCli(join(root, 'ws'), args);
  return { code: r.code, text: r.all, out: r.out };
}

describe('terminal escapes in user-supplied names', () => {
  it('terminalText shows controls as \\uXXXX, keeps plain text, and keeps JSON lines valid and equal', () => {
    expect(terminalText(`a${TITLE}b${CLEAR}`)).toBe('a\\u001b]0;pwned\\u0007b\\u001b[2J');
    expect(terminalText('line\nnext\ttab é 画像')).toBe('line\\u000anext\\u0009tab é 画像');
    expect(terminalText('line\nnext\ttab', { newlines: 'keep' })).toBe('line\nnext\ttab');
    const json = JSON.stringify({ name: `x\u202ey\u0085` });
    expect(JSON.parse(terminalText(json, { newlines: 'keep' }))).toEqual({ name: 'x\u202ey\u0085' });
  });

  it('import and datasets list/show print file and dataset names escaped', async () => {
    const imported = await cli(['import', join(root, `imgs${CLEAR}`), '--name', `set${TITLE}`]);
    expect(imported.code, imported.text).toBe(0);
    expect(imported.text).toContain('dup\\u001b[2J.png');
    expect(imported.text).toContain('bad\\u001b]0;pwned\\u0007\\u202e.png');
    expect(imported.text).not.toMatch(RAW_CONTROL);
    const id = /dataset (\S+) \(/.exec(imported.out[0]!)![1]!;

    const listed = await cli(['datasets']);
    expect(listed.text).toContain('set\\u001b]0;pwned\\u0007');
    expect(listed.text).not.toMatch(RAW_CONTROL);
    const shown = await cli(['datasets', 'show', id]);
    expect(shown.code, shown.text).toBe(0);
    expect(shown.text).toContain('bad\\u001b]0;pwned\\u0007');
    expect(shown.text).not.toMatch(RAW_CONTROL);
  });
});
