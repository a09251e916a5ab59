// gan-studio: every subcommand is a thin client of the same handlers the UI calls.
import { parseArgs } from 'node:util';
import { COMMANDS } from './commands/index.js';
import { EXIT, UsageError, type CliIo, type Command } from './command.js';
import { terminalSafeIo } from './terminal-text.js';
import { AppError } from '../contract/errors.js';
import { RUN_REF_HELP } from '../contract/common.js';
import { version } from '../common/version.js';

export { version };

const GLOBAL_OPTIONS = {
  workspace: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: gan-studio <command> [options]',
    '',
    'Train GANs on your own images: generation, super-resolution and CycleGAN style transfer.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    '  --workspace DIR  where datasets, runs and outputs live (default: $GAN_STUDIO_HOME or ~/.gan-studio)',
    '  --json           machine-readable output (one JSON object per line)',
    '  -h, --help       help for gan-studio or a command',
    '  --version        print the version',
    '',
    'Run `gan-studio <command> --help` for a command\'s options.',
  ].join('\n');
}

/** What a bare `gan-studio` prints: the first hour in three commands, then where help is. */
export function startHere(): string {
  return [
    'GAN Studio — train GANs on your own images, on this machine.',
    '',
    'Start here:',
    '  1. a ready-to-train sample dataset (handwritten digits)',
    '       gan-studio import --sample mnist',
    '  2. a tiny model, trained in seconds on a CPU (--preset small learns real digits in ~20 minutes)',
    '       gan-studio train --data mnist --model dcgan --preset tiny --name first',
    '  3. the studio in your browser, with that run\'s curves and samples (the desktop app: npm start)',
    '       gan-studio serve',
    '',
    'Then: `gan-studio generate --model first --count 16 --grid --out ./first-out`.',
    'Every command: `gan-studio --help`. Which CPU/GPU backend is used, and why: `gan-studio doctor`.',
  ].join('\n');
}

/** The old spellings parse exactly like the flags they became. */
function renamedOptions(cmd: Command): Command['options'] {
  return Object.fromEntries(Object.entries(cmd.renamed ?? {}).map(([old, now]) => [old, cmd.options[now]!]));
}

/** `--old X` becomes `--new X`, with one line on stderr; both at once is a usage error. */
function applyRenames(cmd: Command, values: Record<string, unknown>, io: CliIo): Record<string, unknown> {
  const out = { ...values };
  for (const [old, now] of Object.entries(cmd.renamed ?? {})) {
    if (out[old] === undefined) continue;
    if (out[now] !== undefined) throw new UsageError(`--${old} is the old spelling of --${now}: give only --${now}`);
    out[now] = out[old];
    delete out[old];
    io.err(`gan-studio ${cmd.name}: --${old} is deprecated, use --${now} (same meaning; see docs/CLI.md)`);
  }
  return out;
}

export function commandHelp(cmd: Command): string {
  const opts = Object.entries(cmd.options).map(([name, o]) => `  --${name}${o.type === 'string' ? ' VALUE' : ''}`);
  // every command that takes a run resolves it the same way (src/workspace/run-ref.ts)
  const runNote = /\bRUN\b/.test(cmd.usage) ? ['', `RUN is ${RUN_REF_HELP}.`] : [];
  return [`Usage: ${cmd.usage}`, '', cmd.summary, ...runNote, ...(opts.length ? ['', 'Options:', ...opts] : [])].join('\n');
}

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  tty: Boolean(process.stdout.isTTY),
};

export async function main(argv: string[], rawIo: CliIo = defaultIo): Promise<number> {
  const io = terminalSafeIo(rawIo);
  const [name, ...rest] = argv;
  if (!name) {
    io.out(startHere());
    return EXIT.ok;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.out(version());
    return EXIT.ok;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.err(`gan-studio: unknown command "${name}"`);
    io.err(usage());
    return EXIT.usage;
  }
  // only the chosen command's module (and what it needs, e.g. tfjs) is imported
  const cmd = await entry.load();
  const controller = new AbortController();
  const onSigint = () => controller.abort(new AppError('CANCELLED', 'interrupted by the user'));
  process.once('SIGINT', onSigint);
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...cmd.options, ...renamedOptions(cmd) }, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message.split('\n')[0]! : String(error));
    }
    const { positionals } = parsed;
    const values = applyRenames(cmd, parsed.values as Record<string, unknown>, io);
    if (values.help) {
      io.out(commandHelp(cmd));
      return EXIT.ok;
    }
    if (positionals.length < (cmd.minPositionals ?? 0)) throw new UsageError(`missing argument: ${cmd.usage}`);
    return await cmd.run({
      values: values as Record<string, string | boolean | undefined>,
      positionals,
      workspace: typeof values.workspace === 'string' ? values.workspace : undefined,
      json: values.json === true,
      io,
      signal: controller.signal,
    });
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`gan-studio ${cmd.name}: ${error.message}`);
      io.err(`Usage: ${cmd.usage}`);
      return EXIT.usage;
    }
    if (error instanceof AppError) {
      if (argv.includes('--json')) io.out(JSON.stringify({ event: 'failed', code: error.code, message: error.message }));
      io.err(`gan-studio ${cmd.name}: ${error.code}: ${error.message}`);
      return error.code === 'CANCELLED' ? EXIT.interrupted : EXIT.failed;
    }
    io.err(`gan-studio ${cmd.name}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    return EXIT.failed;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
