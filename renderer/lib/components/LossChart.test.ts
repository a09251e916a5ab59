import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/svelte';
import LossChart from './LossChart.svelte';
import { toAligned, smooth } from './chart-data.js';

const points: Array<{ step: number; values: Record<string, number> }> = [
  { step: 100, values: { 'loss/G': 2.0, 'loss/D': 0.9, 'perf/imagesPerSec': 40 } },
  { step: 200, values: { 'loss/G': 1.5, 'loss/D': 0.7 } },
  { step: 300, values: { 'loss/G': 1.25, 'loss/D': 0.65 } },
];

afterEach(cleanup);

describe('chart data', () => {
  it('aligns several runs on one step axis with gaps as null', () => {
    const { data, series } = toAligned(
      [{ label: 'a', points }, { label: 'b', points: [{ step: 150, values: { 'loss/G': 3 } }] }],
      ['loss/D', 'loss/G'],
    );
    expect(data[0]).toEqual([100, 150, 200, 300]);
    expect(series.map((s) => s.label)).toEqual(['a · loss/D', 'a · loss/G', 'b · loss/G']);
    expect(data[2]).toEqual([2, null, 1.5, 1.25]);
    expect(data[3]).toEqual([null, 3, null, null]);
  });

  it('smooths like an exponential moving average', () => {
    expect(smooth([1, 3, null, 5], 0.5)).toEqual([1, 2, null, 3.5]);
  });
});

describe('LossChart', () => {
  it('renders one legend entry per loss series with its latest value', () => {
    render(LossChart, { props: { runs: [{ label: 'run', points }] } });
    const chart = screen.getByTestId('loss-chart');
    expect(chart.dataset.points).toBe('3');
    const items = screen.getAllByTestId('chart-series');
    expect(items.map((i) => i.dataset.series)).toEqual(['loss/D', 'loss/G']);
    expect(items[1].textContent).toContain('1.25');
  });

  it('says it is waiting when there are no points yet', () => {
    render(LossChart, { props: { runs: [{ label: 'run', points: [] }] } });
    expect(screen.getByText(/Waiting for the first metrics/)).toBeTruthy();
  });
});
