// Checks one batch input before it is processed, with the same checks and codes as dataset import.
import { AppError } from '../../contract/errors.js';
import { validateImageFile } from '../../data/validate.js';

export async function validateInput(path: string, label: string, maxPixels: number): Promise<void> {
  const result = await validateImageFile(path, { maxPixels });
  if (!result.ok) throw new AppError(result.code, result.message.includes(label) || result.message.includes(path) ? result.message : `${label}: ${result.message}`);
}
