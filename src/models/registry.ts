// The model registry: every family (vanilla, dcgan, esrgan, cyclegan, ...) registers itself here
// from src/models/index.ts, and the rest of the app looks families up by id only.
import { AppError } from '../contract/errors.js';
import type { Task } from '../contract/common.js';
import type { ModelFamily } from './types.js';

const families = new Map<string, ModelFamily>();

export function registerFamily(family: ModelFamily): void {
  const existing = families.get(family.id);
  if (existing && existing !== family) {
    throw new AppError('ALREADY_EXISTS', `a model family with id "${family.id}" is already registered; pick another id in its folder under src/models/`);
  }
  families.set(family.id, family);
}

export function getFamily(id: string): ModelFamily {
  const family = families.get(id);
  if (!family) {
    const ids = [...families.keys()].sort().join(', ') || '(none registered: import src/models/index.js first)';
    throw new AppError('INVALID_ARGUMENT', `unknown model "${id}"; available models: ${ids}`);
  }
  return family;
}

export function listFamilies(task?: Task): ModelFamily[] {
  return [...families.values()].filter((f) => !task || f.task === task);
}
