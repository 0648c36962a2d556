import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as echarts from 'echarts';
import { caseName, type GrowthCase } from './cases.js';
import type { GrowthCurve } from './measure.js';

/** One line of a plot: (batch size, µs per record) points. */
export interface PlotSeries {
  readonly name: string;
  readonly points: ReadonlyArray<readonly [number, number]>;
  readonly color: string;
  readonly line: 'solid' | 'dashed' | 'dotted';
  /** Triangles mark the curves with dead letters. */
  readonly marker: 'circle' | 'triangle';
  /** Drawn faded (the CPU twin of a broker curve). */
  readonly faded?: boolean;
}

/** One SVG plot of per-record cost against batch size. */
export interface GrowthPlot {
  /** File name under the plot folder (`growth-….svg`). */
  readonly file: string;
  readonly title: string;
  readonly subtitle: string;
  readonly series: readonly PlotSeries[];
}

const WIDTH = 760;
const HEIGHT = 520;
const COLORS: Record<number, string> = { 1: '#1f77b4', 4: '#2ca02c', 16: '#d95f02' };
const BROKER_COLORS = { record: '#1f77b4', batch: '#d95f02' } as const;

/** The chart as ECharts options: both axes logarithmic, a legend under the grid, no animation (a static SVG). */
export function growthChartOption(plot: GrowthPlot): echarts.EChartsCoreOption {
  return {
    animation: false,
    backgroundColor: '#ffffff',
    title: { text: plot.title, subtext: plot.subtitle, left: 'center', textStyle: { fontSize: 15 }, subtextStyle: { fontSize: 11 } },
    // Generous gaps: the server-side renderer estimates text widths without fonts, and a tight legend overlaps.
    legend: { bottom: 0, left: 'center', width: 700, itemWidth: 28, itemGap: 30, textStyle: { fontSize: 11 } },
    grid: { left: 70, right: 30, top: 70, bottom: 160 },
    xAxis: {
      type: 'log',
      logBase: 10,
      name: 'records per invocation',
      nameLocation: 'middle',
      nameGap: 28,
      min: 1,
      max: 10_000,
      splitLine: { show: true, lineStyle: { color: '#e6e6e6' } },
    },
    yAxis: {
      type: 'log',
      logBase: 10,
      name: 'µs per record (median)',
      nameLocation: 'middle',
      nameGap: 50,
      splitLine: { show: true, lineStyle: { color: '#e6e6e6' } },
    },
    series: plot.series.map((s) => ({
      type: 'line',
      name: s.name,
      data: s.points.map(([x, y]) => [x, y]),
      color: s.color,
      symbol: s.marker,
      symbolSize: 7,
      lineStyle: { width: 2, type: s.line, opacity: s.faded ? 0.5 : 1 },
      itemStyle: { opacity: s.faded ? 0.5 : 1 },
    })),
  };
}

/** Renders a plot to a standalone SVG document with ECharts' server-side SVG renderer (no DOM, no network). */
export function renderPlotSvg(plot: GrowthPlot): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  try {
    chart.setOption(growthChartOption(plot));
    return `<?xml version="1.0" encoding="UTF-8"?>\n${chart.renderToSVGString()}\n`;
  } finally {
    chart.dispose();
  }
}

function usPoints(curve: GrowthCurve): Array<[number, number]> {
  return [...curve.points].map(([size, sample]) => [size, sample.median / 1e3]);
}

const same = (a: GrowthCase, b: GrowthCase) =>
  a.route === b.route && a.partitions === b.partitions && a.deadLetters === b.deadLetters && a.outputs === b.outputs;

/**
 * The plots of a run: one per route kind and output count for the CPU curves (a line per partition count,
 * dashed with dead letters), and one for the broker curves next to their CPU counterparts.
 */
export function growthPlots(curves: readonly GrowthCurve[]): GrowthPlot[] {
  const plots: GrowthPlot[] = [];
  const cpu = curves.filter((c) => c.sink === 'cpu');
  for (const route of ['record', 'batch'] as const) {
    for (const outputs of [...new Set(cpu.map((c) => c.case.outputs))]) {
      const group = cpu.filter((c) => c.case.route === route && c.case.outputs === outputs);
      if (group.length === 0) continue;
      plots.push({
        file: `growth-cpu-${route}-${outputs}-outputs.svg`,
        title: `${route === 'record' ? 'Record' : 'Batch'} route, ${outputs} outputs per record: CPU cost per record`,
        subtitle: 'ours up to the kafkajs call (outbox → kafkajs messages), no send · dashed, triangles: 1 record in 10 dead-lettered',
        series: group.map((c) => ({
          name: `${c.case.partitions} partition${c.case.partitions === 1 ? '' : 's'}${c.case.deadLetters ? ', dead letters' : ''}`,
          points: usPoints(c),
          color: COLORS[c.case.partitions] ?? '#555555',
          line: c.case.deadLetters ? 'dashed' : 'solid',
          marker: c.case.deadLetters ? 'triangle' : 'circle',
        })),
      });
    }
  }
  const broker = curves.filter((c) => c.sink === 'broker');
  if (broker.length > 0) {
    const series: PlotSeries[] = [];
    for (const curve of broker) {
      const color = BROKER_COLORS[curve.case.route];
      const label = `${curve.case.route}${curve.case.deadLetters ? ', dead letters' : ''}`;
      const marker = curve.case.deadLetters ? 'triangle' : 'circle';
      series.push({
        name: `${label}: flushed to the broker`,
        points: usPoints(curve),
        color,
        line: curve.case.deadLetters ? 'dashed' : 'solid',
        marker,
      });
      const cpuTwin = cpu.find((c) => same(c.case, curve.case));
      if (cpuTwin) series.push({ name: `${label}: CPU only`, points: usPoints(cpuTwin), color, line: 'dotted', marker, faded: true });
    }
    const c = broker[0]?.case as GrowthCase;
    plots.push({
      file: 'growth-broker.svg',
      title: `Flushed to the local broker: cost per record (${c.partitions} partitions, ${c.outputs} outputs)`,
      subtitle: 'our Kafka publisher, acks=all, idempotent, one sendBatch per invocation · faded, dotted: the same case, CPU only',
      series,
    });
  }
  return plots;
}

/** Writes each plot's SVG into `dir`; returns the files written. */
export function writeGrowthPlots(plots: readonly GrowthPlot[], dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return plots.map((plot) => {
    const file = join(dir, plot.file);
    writeFileSync(file, renderPlotSvg(plot));
    return file;
  });
}

/** A curve's label for tables: its case and where its outbox went. */
export function curveLabel(curve: GrowthCurve): string {
  return `${caseName(curve.case)}${curve.sink === 'broker' ? ' → broker' : ''}`;
}
