import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import type { JobEvent, Result } from '../../../src/contract/index.js';
import type { GanStudioBridge } from '../api.js';
import DropZone from './DropZone.svelte';
import { ImportFlow } from '../../views/datasets/import-flow.svelte.js';

function dataTransfer(files: File[]) {
  return { files, items: files.map((f) => ({ kind: 'file', getAsFile: () => f })), types: ['Files'], dropEffect: 'none' };
}

afterEach(() => {
  cleanup();
  delete window.ganStudio;
  vi.unstubAllGlobals();
});

describe('DropZone', () => {
  it('hands dropped files to ondrop and highlights while dragging', async () => {
    const ondrop = vi.fn();
    render(DropZone, { props: { ondrop } });
    const zone = screen.getByTestId('drop-zone');
    const files = [new File(['a'], 'a.png', { type: 'image/png' }), new File(['b'], 'b.png', { type: 'image/png' })];
    await fireEvent.dragEnter(zone, { dataTransfer: dataTransfer(files) });
    expect(zone.dataset.state).toBe('over');
    await fireEvent.drop(zone, { dataTransfer: dataTransfer(files) });
    await waitFor(() => expect(ondrop).toHaveBeenCalledOnce());
    expect(zone.dataset.state).toBe('idle');
    expect(ondrop.mock.calls[0][0].files.map((f: { relativePath: string }) => f.relativePath)).toEqual(['a.png', 'b.png']);
  });

  it('a drop in Electron imports the real paths through datasets:import', async () => {
    const invoke = vi.fn(async (method: string): Promise<Result<unknown>> => (method === 'datasets:import' ? { ok: true, value: { jobId: 'job-7' } } : { ok: false, error: { code: 'NOT_FOUND', message: method } }));
    const bridge: GanStudioBridge = {
      invoke,
      onJobEvent: (_cb: (e: JobEvent) => void) => () => {},
      pathForFile: (f: File) => `/home/me/pictures/${f.name}`,
      pickFolder: async () => null,
      pickFiles: async () => [],
      openPath: async () => {},
      transport: 'electron',
    };
    window.ganStudio = bridge;
    const flow = new ImportFlow();
    render(DropZone, { props: { ondrop: (d) => void flow.importDropped(d.files, d.topLevel) } });
    await fireEvent.drop(screen.getByTestId('drop-zone'), { dataTransfer: dataTransfer([new File(['z'], 'faces.zip')]) });
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('datasets:import', { paths: ['/home/me/pictures/faces.zip'], name: 'faces' }));
    await waitFor(() => expect(flow.jobIds).toEqual(['job-7']));
  });

  it('a drop in a browser uploads each file, then imports the upload folder', async () => {
    const calls: Array<{ url: string; headers: Record<string, string>; body: unknown }> = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push({ url: String(url), headers: init.headers as Record<string, string>, body: init.body });
      if (String(url).endsWith('/api/upload')) {
        const name = decodeURIComponent((init.headers as Record<string, string>)['x-file-name']);
        return new Response(JSON.stringify({ ok: true, value: { path: `/ws/staging/uploads/u1/${name}` } }));
      }
      return new Response(JSON.stringify({ ok: true, value: { jobId: 'job-9' } }));
    });
    const flow = new ImportFlow();
    await flow.importDropped(
      [
        { file: new File(['1'], 'a.png'), relativePath: 'emoji/a.png' },
        { file: new File(['2'], 'b.png'), relativePath: 'emoji/sub/b.png' },
      ],
      [],
    );
    const uploads = calls.filter((c) => c.url.endsWith('/api/upload'));
    expect(uploads.map((c) => decodeURIComponent(c.headers['x-file-name'])).sort()).toEqual(['emoji/a.png', 'emoji/sub/b.png']);
    expect(new Set(uploads.map((c) => c.headers['x-upload-id'])).size).toBe(1);
    const importCall = calls.find((c) => c.url.endsWith('/api/datasets:import'))!;
    expect(JSON.parse(String(importCall.body))).toEqual({ paths: ['/ws/staging/uploads/u1'], name: 'emoji' });
    expect(flow.jobIds).toEqual(['job-9']);
  });
});
