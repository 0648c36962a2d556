import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { curveLabel, growthPlots, renderPlotSvg, writeGrowthPlots } from '../../../../bench/growth/plot.js';
import { syntheticGrowthCurves } from '../../../support/growth-curves.js';

describe('growth plots', () => {
  it('draw one CPU plot per route kind and output count (a line per partition count and dead-letter setting) and one broker plot', () => {
    const plots = growthPlots(syntheticGrowthCurves());
    expect(plots.map((p) => p.file)).toEqual([
      'growth-cpu-record-0-outputs.svg',
      'growth-cpu-record-3-outputs.svg',
      'growth-cpu-batch-0-outputs.svg',
      'growth-cpu-batch-3-outputs.svg',
      'growth-broker.svg',
    ]);
    for (const plot of plots.slice(0, 4)) {
      expect(plot.series.map((s) => s.name).sort()).toEqual(
        [
          '1 partition',
          '1 partition, dead letters',
          '4 partitions',
          '4 partitions, dead letters',
          '16 partitions',
          '16 partitions, dead letters',
        ].sort(),
      );
      for (const s of plot.series) {
        expect(s.points.map(([x]) => x)).toEqual([1, 10, 100, 1_000, 10_000]);
        expect(s.line).toBe(s.name.includes('dead letters') ? 'dashed' : 'solid');
      }
    }
    const broker = plots[4];
    expect(broker?.series.map((s) => s.name)).toEqual([
      'record: flushed to the broker',
      'record: CPU only',
      'record, dead letters: flushed to the broker',
      'record, dead letters: CPU only',
      'batch: flushed to the broker',
      'batch: CPU only',
      'batch, dead letters: flushed to the broker',
      'batch, dead letters: CPU only',
    ]);
    expect(broker?.series.filter((s) => s.faded).map((s) => s.name)).toEqual(
      broker?.series.filter((s) => s.name.endsWith('CPU only')).map((s) => s.name),
    );
    // Points are µs per record: the synthetic record route with 3 outputs, 4 partitions, at 10,000 records.
    const fourPartitions = plots[1]?.series.find((s) => s.name === '4 partitions');
    expect(fourPartitions?.points.at(-1)?.[1]).toBeCloseTo((4_000 + 9_000 + 200 + 3) / 1e3);
    expect(growthPlots(syntheticGrowthCurves().filter((c) => c.sink === 'cpu')).map((p) => p.file)).not.toContain('growth-broker.svg');
  });

  it('render as a standalone SVG with both axes, every legend entry and a line per series', () => {
    const [plot] = growthPlots(syntheticGrowthCurves());
    if (!plot) throw new Error('no plot');
    const svg = renderPlotSvg(plot);
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')).toBe(true);
    expect(svg).toMatch(/<svg[^>]* width="760" height="520"/);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    for (const text of [plot.title, 'records per invocation', 'µs per record (median)', ...plot.series.map((s) => s.name)]) {
      expect(svg).toContain(`>${text}<`);
    }
    for (const tick of ['1', '10', '100', '1,000', '10,000']) expect(svg).toContain(`>${tick}<`);
    // One stroked polyline per series, in its colour (and no animation: a static file).
    for (const s of plot.series) expect(svg).toMatch(new RegExp(`<path d="M[^"]*L[^"]*"[^>]*stroke="${s.color}"`));
    expect(svg).not.toContain('@keyframes');
  });

  it('are written as files named after the plots', () => {
    const dir = mkdtempSync(join(tmpdir(), 'growth-plot-test-'));
    const files = writeGrowthPlots(growthPlots(syntheticGrowthCurves()).slice(0, 2), join(dir, 'nested'));
    expect(files.map((f) => basename(f))).toEqual(['growth-cpu-record-0-outputs.svg', 'growth-cpu-record-3-outputs.svg']);
    for (const file of files) {
      expect(existsSync(file)).toBe(true);
      expect(readFileSync(file, 'utf8')).toContain('</svg>');
    }
    expect(curveLabel(syntheticGrowthCurves().at(-1) as never)).toBe('batch · 4 partitions · 3 outputs · dead letters → broker');
  });
});
