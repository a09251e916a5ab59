import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import BeforeAfter from './BeforeAfter.svelte';
import { ZoomState } from './zoom.svelte.js';

describe('BeforeAfter', () => {
  it('moves the divider with the keyboard and zooms both layers together', async () => {
    const zoom = new ZoomState();
    render(BeforeAfter, { props: { before: 'before.png', after: 'after.png', zoom } });
    const handle = screen.getByRole('slider');
    expect(handle.getAttribute('aria-valuenow')).toBe('50');

    await fireEvent.keyDown(handle, { key: 'ArrowRight' });
    expect(handle.getAttribute('aria-valuenow')).toBe('52');
    await fireEvent.keyDown(handle, { key: 'ArrowLeft', shiftKey: true });
    expect(handle.getAttribute('aria-valuenow')).toBe('42');
    await fireEvent.keyDown(handle, { key: 'Home' });
    expect(handle.getAttribute('aria-valuenow')).toBe('0');
    await fireEvent.keyDown(handle, { key: 'End' });
    await fireEvent.keyDown(handle, { key: 'ArrowRight' });
    expect(handle.getAttribute('aria-valuenow')).toBe('100');
    expect(handle.style.left).toBe('100%');

    await fireEvent.keyDown(handle, { key: '+' });
    expect(zoom.scale).toBeCloseTo(1.25);
    const layers = [...document.querySelectorAll<HTMLElement>('.layer')].filter((l) => l.style.transform);
    expect(layers).toHaveLength(2);
    expect(new Set(layers.map((l) => l.style.transform)).size).toBe(1);
    expect(layers[0].style.transform).toContain('scale(1.25)');
  });
});
