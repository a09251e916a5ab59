// In browser mode a request may come from another machine, so a path inside a request is not
// "something the user picked on this computer". Every field the contract types as UserPath must
// lie inside the upload staging folder or a folder `serve --allow DIR` opened. The fields are
// found by walking the method's schema, so a new method with a UserPath is covered automatically.
import type { z } from 'zod';
import { UserPath } from '../contract/common.js';
import { methods, type MethodName } from '../contract/api.js';
import { checkUserPath } from '../handlers/context.js';

interface ZodInternals {
  _zod: { def: { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType; innerType?: z.ZodType; options?: z.ZodType[]; in?: z.ZodType; out?: z.ZodType } };
}

/** Every value in `value` that sits where `schema` has a UserPath. `value` is already parsed. */
export function collectUserPaths(schema: z.ZodType, value: unknown, out: string[] = []): string[] {
  if (value === undefined || value === null) return out;
  if ((schema as unknown) === UserPath) {
    if (typeof value === 'string') out.push(value);
    return out;
  }
  const def = (schema as unknown as ZodInternals)._zod.def;
  switch (def.type) {
    case 'object':
      if (typeof value === 'object' && def.shape) {
        for (const [key, child] of Object.entries(def.shape)) collectUserPaths(child, (value as Record<string, unknown>)[key], out);
      }
      break;
    case 'array':
      if (Array.isArray(value) && def.element) for (const item of value) collectUserPaths(def.element, item, out);
      break;
    case 'optional': case 'nullable': case 'default': case 'prefault': case 'readonly': case 'catch': case 'nonoptional':
      if (def.innerType) collectUserPaths(def.innerType, value, out);
      break;
    case 'pipe':
      if (def.in) collectUserPaths(def.in, value, out);
      break;
    case 'union':
      for (const option of def.options ?? []) collectUserPaths(option, value, out);
      break;
    default:
      break;
  }
  return out;
}

/** Throws PATH_NOT_ALLOWED unless every user path in the request lies inside an allowed root. */
export async function assertPathsAllowed(name: MethodName, raw: unknown, roots: string[]): Promise<void> {
  const parsed = methods[name].input.safeParse(raw ?? {});
  if (!parsed.success) return; // invoke() answers INVALID_ARGUMENT, identically on every transport
  const paths = [...new Set(collectUserPaths(methods[name].input, parsed.data))];
  // the handlers' own check, so the error is identical whether the transport or a handler refuses
  for (const p of paths) await checkUserPath(p, roots);
}
