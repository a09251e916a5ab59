// File names, dataset names and messages quoting them come from users (a zip, a folder, a
// sidecar). Printed raw, a name holding `ESC]0;…BEL` retitles the terminal and `ESC[2J` clears
// it; bidi overrides reorder what the reader sees. Everything the CLI prints passes through
// terminalText (main() wraps its io once), so no command can forget it.
import type { CliIo } from './command.js';

// C0 controls but tab and newline, DEL, C1 controls, and the bidi embeddings/overrides/isolates
const UNSAFE_WITH_NEWLINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Shows every terminal control character as a visible `\uXXXX` (the JSON spelling, so a JSON
 * line stays valid JSON with the same meaning). `newlines: 'keep'` is for whole output lines
 * that may span several lines on purpose; a single name escapes them too.
 */
export function terminalText(text: string, options: { newlines?: 'keep' | 'escape' } = {}): string {
  const pattern = options.newlines === 'keep' ? UNSAFE_WITH_NEWLINES : UNSAFE;
  return text.replace(pattern, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The same io with every line made safe for a terminal. */
export function terminalSafeIo(io: CliIo): CliIo {
  return {
    out: (line) => io.out(terminalText(line, { newlines: 'keep' })),
    err: (line) => io.err(terminalText(line, { newlines: 'keep' })),
    tty: io.tty,
  };
}
