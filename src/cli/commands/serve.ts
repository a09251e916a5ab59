// `gan-studio serve`: the studio UI and API over HTTP + WebSocket, for a browser on this machine
// or — with a token — a laptop driving a remote GPU box.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT, UsageError, intOpt, stringOpt, type Command } from '../command.js';
import { createApp } from '../../handlers/context.js';
import { resolveWorkspace } from '../../workspace/paths.js';
import { generateToken, isLoopbackHost } from '../../server/guards.js';
import { startServer } from '../../server/server.js';
import { uploadsRoot } from '../../server/upload.js';

function openInBrowser(url: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    spawn(cmd, args, { stdio: 'ignore', detached: true }).on('error', () => {}).unref();
  } catch {
    // no browser opener here: the printed URL is enough
  }
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the studio UI and API over HTTP for browsers and remote GPU boxes',
  usage: 'gan-studio serve [--port 7860] [--host 127.0.0.1] [--token T] [--allow DIR]... [--public-url https://NAME] [--open]',
  options: {
    'port': { type: 'string' },
    'host': { type: 'string' },
    'token': { type: 'string' },
    'allow': { type: 'string', multiple: true },
    'open': { type: 'boolean' },
    'public-url': { type: 'string' },
  },
  async run({ values, workspace, io, json, signal }) {
    const host = stringOpt(values, 'host') ?? '127.0.0.1';
    const port = intOpt(values, 'port') ?? 7860;
    if (port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535 (0 picks a free port), got ${port}`);
    let token = stringOpt(values, 'token');
    if (token !== undefined && token.length < 32) throw new UsageError('--token must be at least 32 characters; omit it to get a generated 256-bit token');
    const allow = ((values.allow as string[] | undefined) ?? []).map((dir) => {
      const abs = resolve(dir);
      let isDir = false;
      try {
        isDir = statSync(abs).isDirectory();
      } catch {
        isDir = false;
      }
      if (!isDir) throw new UsageError(`--allow ${dir}: not a folder`);
      return abs;
    });
    const publicUrl = stringOpt(values, 'public-url');
    if (publicUrl !== undefined && !/^https?:\/\/[^/?#]+\/?$/i.test(publicUrl)) {
      throw new UsageError(`--public-url takes the address browsers use, such as https://studio.example.com (got ${publicUrl})`);
    }
    const generated = !token && !isLoopbackHost(host);
    if (generated) token = generateToken();

    const root = resolveWorkspace(workspace);
    const app = await createApp({ workspace: root, transport: 'http', allow: [uploadsRoot(root), ...allow] });
    let server;
    try {
      server = await startServer({ app, host, port, token, allow, ...(publicUrl ? { publicUrl } : {}) });
    } catch (error) {
      await app.close();
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UsageError(`port ${port} is in use: pick another with --port (0 picks a free one)`);
      throw error;
    }

    if (json) io.out(JSON.stringify({ event: 'serving', url: server.url, workspace: root, token: generated ? token : undefined }));
    io.out(`GAN Studio is serving at ${server.url}`);
    if (generated) io.out(`Access token (printed once; type it on the login page): ${token}`);
    else if (token) io.out('Sign in on the login page with the token you passed to --token.');
    if (!isLoopbackHost(host)) io.out('Reachable from other machines: use http://<this machine\'s address>:' + server.port + ' there.');
    if (values.open) openInBrowser(server.url);

    // Ctrl+C (the CLI's signal) or SIGTERM: stop serving, let running jobs checkpoint, exit 0.
    await new Promise<void>((done) => {
      const finish = () => {
        signal.removeEventListener('abort', finish);
        process.off('SIGTERM', finish);
        done();
      };
      if (signal.aborted) return done();
      signal.addEventListener('abort', finish);
      process.on('SIGTERM', finish);
    });
    io.err('gan-studio serve: stopping…');
    await server.close();
    await app.close();
    return EXIT.ok;
  },
};
