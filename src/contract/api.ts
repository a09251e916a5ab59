// The one typed API that every transport serves: Electron IPC (channel = method name),
// the HTTP/WebSocket server, and the CLI all call the same handlers through `invoke`.
import type { z } from 'zod';
import { AppError, toWireError, type WireError } from './errors.js';
import { systemMethods } from './system.js';
import { taskMethods } from './tasks.js';
import { datasetsMethods } from './datasets.js';
import { runsMethods } from './runs.js';
import { jobsMethods } from './jobs.js';
import { batchMethods } from './batch.js';
import { galleryMethods } from './gallery.js';
import { generateMethods, modelsMethods } from './models.js';
import { compareMethods } from './compare.js';
import { settingsMethods } from './settings.js';
import { queueMethods } from './queue.js';

export const methods = {
  ...systemMethods,
  ...taskMethods,
  ...datasetsMethods,
  ...runsMethods,
  ...jobsMethods,
  ...batchMethods,
  ...galleryMethods,
  ...modelsMethods,
  ...generateMethods,
  ...compareMethods,
  ...settingsMethods,
  ...queueMethods,
};

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export const METHOD_NAMES = Object.keys(methods) as MethodName[];

/** What a caller passes (defaults may be omitted). */
export type Input<M extends MethodName> = z.input<Methods[M]['input']>;
/** What a handler receives (after validation and defaults). */
export type Parsed<M extends MethodName> = z.output<Methods[M]['input']>;
export type Output<M extends MethodName> = Methods[M]['output'];

/** The client-side view: what the renderer, the CLI and tests call. */
export type Api = { [M in MethodName]: (input: Input<M>) => Promise<Output<M>> };

/** The server-side view: what each handler implements. */
export type Handlers = { [M in MethodName]: (input: Parsed<M>) => Promise<Output<M>> | Output<M> };

export type Result<T> = { ok: true; value: T } | { ok: false; error: WireError };

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
}

/**
 * Validates `raw` against the method's schema, runs the handler, and turns every failure into a
 * WireError. Malformed input never reaches a handler, so it changes nothing.
 */
export async function invoke(handlers: Handlers, name: unknown, raw: unknown): Promise<Result<unknown>> {
  try {
    if (!isMethodName(name)) throw new AppError('INVALID_ARGUMENT', `unknown method ${JSON.stringify(name)}`);
    const parsed = methods[name].input.safeParse(raw ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`)
        .join('; ');
      throw new AppError('INVALID_ARGUMENT', `${name}: ${issues}`);
    }
    const handler = handlers[name] as (input: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    return { ok: false, error: toWireError(error) };
  }
}

/** Builds a typed client from one transport function (IPC invoke, fetch, or in-process). */
export function createClient(call: (name: MethodName, input: unknown) => Promise<unknown>): Api {
  const client = {} as Record<MethodName, (input: unknown) => Promise<unknown>>;
  for (const name of METHOD_NAMES) client[name] = (input: unknown) => call(name, input ?? {});
  return client as unknown as Api;
}
