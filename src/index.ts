// The core's public entry: what the Electron shell (electron/) may import from src/. Lint
// refuses any other path into src/ from electron/, so this file is the whole surface.
export { createApp, type App, type AppOptions } from './handlers/context.js';
export { main as runCli, version } from './cli/main.js';
export { COMMANDS } from './cli/commands/index.js';
export { resolveWorkspace, workspaceLayout } from './workspace/paths.js';
export { checkRelativePath, checkUrlPath, contentTypeFor, isInsideReal, resolveContainedFile } from './server/safe-path.js';
export { resolveServedWorkspaceFile, whyNotServed } from './server/served-files.js';
export { realPathOf } from './handlers/user-paths.js';
export { baseSecurityHeaders, FILE_CONTENT_SECURITY_POLICY, uiContentSecurityPolicy } from './server/security-headers.js';
export { startServer, defaultRendererDir, type RunningServer, type ServerOptions, type ServedApp } from './server/server.js';
export { setDefaultSpawnEngine, type ProcessLike, type SpawnEngine } from './jobs/engine-host.js';

import { COMMANDS as ALL_COMMANDS } from './cli/commands/index.js';

/**
 * Does this argument list (after the app path) ask for the CLI rather than the window? The
 * installed app runs `gan-studio` subcommands this way, since the RunAsNode fuse is off.
 * Chromium switches (`--no-sandbox`, `--enable-logging`) are not CLI requests.
 */
export function isCliInvocation(argv: readonly string[]): boolean {
  const first = argv[0];
  if (first === undefined) return false;
  if (['--help', '-h', 'help', '--version', '-v'].includes(first)) return true;
  return ALL_COMMANDS.some((c) => c.name === first);
}
