// `gan-studio serve` in-process: the one line e2e fixtures wait for, a generated token printed
// once for non-loopback hosts, and usage errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main.js';
import type { CliIo } from '../command.js';

let workspace: string;
beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'gan-serve-'));
});
afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const waiters: Array<() => void> = [];
  const cli: CliIo = {
    out: (l) => {
      out.push(l);
      waiters.splice(0).forEach((w) => w());
    },
    err: (l) => void err.push(l),
    tty: false,
  };
  const until = async (re: RegExp) => {
    while (!out.some((l) => re.test(l))) await new Promise<void>((r) => waiters.push(r));
    return out.find((l) => re.test(l))!;
  };
  return { cli, out, err, until };
}

describe('gan-studio serve', () => {
  it('prints the serving line with the real port, answers, and stops on SIGINT', async () => {
    const t = io();
    const exit = main(['serve', '--port', '0', '--workspace', workspace], t.cli);
    const line = await t.until(/serving at/);
    const url = /^GAN Studio is serving at (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
    expect(url, line).not.toBeNull();
    expect(Number(url![2])).toBeGreaterThan(0);
    const res = await fetch(`${url![1]}/api/datasets:list`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(await res.json()).toEqual({ ok: true, value: [] });
    process.emit('SIGINT');
    expect(await exit).toBe(0);
  });

  it('generates and prints a 256-bit token once when the host is not loopback', async () => {
    const t = io();
    const exit = main(['serve', '--port', '0', '--host', '0.0.0.0', '--workspace', workspace], t.cli);
    const tokenLine = await t.until(/Access token/);
    const token = tokenLine.split(': ').pop()!;
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(t.out.filter((l) => l.includes(token))).toHaveLength(1);
    expect(t.out.some((l) => l.includes('serving at') && !l.includes(token))).toBe(true);
    process.emit('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('refuses a short token and a missing --allow folder with a usage error', async () => {
    const t = io();
    expect(await main(['serve', '--token', 'short', '--workspace', workspace], t.cli)).toBe(2);
    expect(await main(['serve', '--allow', join(workspace, 'nope'), '--workspace', workspace], t.cli)).toBe(2);
    expect(t.err.join('\n')).toMatch(/at least 32 characters/);
    expect(t.err.join('\n')).toMatch(/not a folder/);
  });
});
