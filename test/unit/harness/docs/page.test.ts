import { describe, expect, it } from 'vitest';
import { buildAsyncApi } from '../../../../src/harness/docs/build.js';
import { layoutPipeline, type PipelineGraph, pipelineGraph } from '../../../../src/harness/docs/diagram.js';
import { renderHtmlPage } from '../../../../src/harness/docs/html.js';
import { to } from '../../../../src/runtime/router/publishers.js';
import { defineRoute } from '../../../../src/runtime/router/route.js';
import { mskEvent, serviceOf, type TestFunction } from '../../../support/docs.js';

const chain: TestFunction[] = [
  {
    name: 'first',
    routes: [defineRoute({ name: 'one', topic: 'a', deadLetter: true, publishes: [to('b'), to('c')], handle: () => undefined })],
    events: [mskEvent('a', { onFailureDestination: 'kafka://a.failed' })],
  },
  {
    name: 'second',
    routes: [defineRoute({ name: 'two', topic: 'b', publishes: [to('d')], handle: () => undefined })],
    events: [mskEvent('b')],
  },
];
const documentOf = async (functions: readonly TestFunction[]) => (await buildAsyncApi((await serviceOf(functions)).model)).document;

describe('pipeline diagram', () => {
  it('has every topic and function, arrows topic → function → topic, failure arrows marked', async () => {
    const graph = pipelineGraph(await documentOf(chain));
    expect(graph.nodes.map((n) => n.id)).toEqual([
      'function:first',
      'function:second',
      'topic:a',
      'topic:a.DLT',
      'topic:a.failed',
      'topic:b',
      'topic:c',
      'topic:d',
    ]);
    expect(graph.edges.map((e) => `${e.from} → ${e.to} (${e.style})`)).toEqual([
      'function:first → topic:a.DLT (dead-letter)',
      'function:first → topic:a.failed (on-failure)',
      'function:first → topic:b (flow)',
      'function:first → topic:c (flow)',
      'function:second → topic:d (flow)',
      'topic:a → function:first (flow)',
      'topic:b → function:second (flow)',
    ]);
    expect(graph.nodes.filter((n) => n.failure).map((n) => n.id)).toEqual(['topic:a.DLT', 'topic:a.failed']);
  });

  it('lays out left to right: every arrow goes to a later column, boxes of a column do not overlap, failure topics last', async () => {
    const layout = layoutPipeline(pipelineGraph(await documentOf(chain)));
    const byId = new Map(layout.nodes.map((n) => [n.id, n]));
    for (const edge of layout.edges) expect(byId.get(edge.to)?.x).toBeGreaterThan(byId.get(edge.from)?.x ?? Number.POSITIVE_INFINITY);
    for (const x of new Set(layout.nodes.map((n) => n.x))) {
      const column = layout.nodes.filter((n) => n.x === x);
      const sorted = [...column].sort((p, q) => p.y - q.y);
      for (let i = 1; i < sorted.length; i++)
        expect(sorted[i]?.y).toBeGreaterThanOrEqual((sorted[i - 1]?.y ?? 0) + (sorted[i - 1]?.height ?? 0));
      const failures = sorted.map((n) => n.failure);
      expect(failures).toEqual([...failures].sort((p, q) => Number(p) - Number(q)));
    }
    for (const node of layout.nodes) {
      expect(node.x + node.width).toBeLessThanOrEqual(layout.width);
      expect(node.y + node.height).toBeLessThanOrEqual(layout.height);
    }
  });

  it('terminates on a cycle', () => {
    const graph: PipelineGraph = {
      nodes: [
        { id: 'topic:x', kind: 'topic', label: 'x', failure: false, anchor: 'x' },
        { id: 'function:f', kind: 'function', label: 'f', failure: false, anchor: 'f' },
      ],
      edges: [
        { from: 'topic:x', to: 'function:f', style: 'flow' },
        { from: 'function:f', to: 'topic:x', style: 'flow' },
      ],
    };
    expect(layoutPipeline(graph).nodes).toHaveLength(2);
  });
});

describe('HTML page', () => {
  it('is self-contained: no script, no external resource, a CSP that forbids loading anything', async () => {
    const html = renderHtmlPage(await documentOf(chain));
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
    for (const id of ['topic:a', 'topic:d', 'function:first', 'function:second']) expect(html).toContain(`data-node="${id}"`);
  });

  it('escapes names coming from the service', async () => {
    const html = renderHtmlPage(
      await documentOf([
        { name: 'fn', routes: [defineRoute({ name: '<img onerror=x>', topic: 't', handle: () => undefined })], events: [mskEvent('t')] },
      ]),
    );
    expect(html).not.toContain('<img onerror=x>');
    expect(html).toContain('&#60;img onerror=x&#62;');
  });
});
