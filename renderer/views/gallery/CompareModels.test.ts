import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import type { ModelInfo } from '../../../src/contract/index.js';
import CompareModels from './CompareModels.svelte';

const model = (id: string, task: ModelInfo['task'], source: ModelInfo['source'] = 'trained', scale?: number): ModelInfo => ({
  id, name: id, source, task, family: task === 'superres' ? 'esrgan' : 'cyclegan', bytes: 1, createdAt: null, ...(scale ? { scale } : {}),
});

describe('CompareModels', () => {
  afterEach(() => cleanup());
  const models = [model('esrgan-slim-x2', 'superres', 'pretrained', 2), model('sr-run', 'superres'), model('style-run', 'cyclegan'), model('gen-run', 'generate')];

  it('offers only the task\'s models, picks two different ones, and waits for an input before comparing', async () => {
    render(CompareModels, { props: { models } });
    const a = screen.getByTestId('compare-model-a') as HTMLSelectElement;
    const b = screen.getByTestId('compare-model-b') as HTMLSelectElement;
    expect([...a.options].map((o) => o.value)).toEqual(['esrgan-slim-x2', 'sr-run']);
    expect(a.options[0]!.textContent).toBe('esrgan-slim-x2 · pretrained · ×2');
    expect([a.value, b.value]).toEqual(['esrgan-slim-x2', 'sr-run']);
    expect((screen.getByTestId('compare-models-run') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.queryByRole('radiogroup', { name: 'Direction A' })).toBeNull();
  });

  it('switches to style transfer: its models, and a direction for each side', async () => {
    render(CompareModels, { props: { models } });
    await fireEvent.click(screen.getByRole('radio', { name: 'Style transfer' }));
    const a = screen.getByTestId('compare-model-a') as HTMLSelectElement;
    expect([...a.options].map((o) => o.value)).toEqual(['style-run']);
    // one style model: both sides may use it (in two directions)
    expect((screen.getByTestId('compare-model-b') as HTMLSelectElement).value).toBe('style-run');
    expect(screen.getByRole('radiogroup', { name: 'Direction A' })).toBeTruthy();
    expect(screen.getByRole('radiogroup', { name: 'Direction B' })).toBeTruthy();
  });

  it('says what to do when a task has no models', async () => {
    render(CompareModels, { props: { models: [model('gen-run', 'generate')] } });
    expect(screen.getByText(/No super-resolution models yet/)).toBeTruthy();
    expect(screen.queryByTestId('compare-model-a')).toBeNull();
  });
});
