#!/usr/bin/env node
// The gan-studio command: a thin launcher for the compiled CLI (built by `npm run prepare`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
if (!existsSync(entry)) {
  console.error('gan-studio: the CLI is not built yet. Run `npm run build:node` in the gan-studio folder.');
  process.exit(1);
}
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
