// Test harness: runs the gan-studio CLI in this process against a given workspace and collects
// what it prints, and writes small solid-colour PNG folders for commands to read.
import sharp from 'sharp';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '../main.js';

export interface CliResult {
  code: number;
  out: string[];
  err: string[];
  /** stdout then stderr, one string (for assertion messages and searches) */
  all: string;
}

export async function runCli(workspace: string, args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args, '--workspace', workspace], { out: (l) => out.push(l), err: (l) => err.push(l), tty: false });
  return { code, out, err, all: [...out, ...err].join('\n') };
}

/** `count` PNGs named 0.png… in `dir`, each a different solid colour. */
export async function writeSolidPngs(dir: string, count: number, width: number, height: number, colour: (i: number) => { r: number; g: number; b: number }): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    await sharp({ create: { width, height, channels: 3, background: colour(i) } }).png().toFile(join(dir, `${i}.png`));
  }
}
