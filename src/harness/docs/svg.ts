import type { PipelineLayout, PlacedNode } from './diagram.js';
import { escapeHtml } from './escape.js';

const EDGE_CLASS = { flow: 'edge', 'dead-letter': 'edge dead-letter', 'on-failure': 'edge on-failure' } as const;

/**
 * The laid-out pipeline as inline SVG: topics as pills, functions as boxes,
 * each linking to its section of the page; dead-letter and on-failure arrows
 * dashed. Styling comes from the page's CSS classes.
 */
export function renderPipelineSvg(layout: PipelineLayout): string {
  const byId = new Map(layout.nodes.map((node) => [node.id, node]));
  const edges = layout.edges.flatMap((edge) => {
    const from = byId.get(edge.from);
    const to = byId.get(edge.to);
    if (!from || !to) return [];
    return [
      `<path class="${EDGE_CLASS[edge.style]}" data-from="${escapeHtml(edge.from)}" data-to="${escapeHtml(edge.to)}" d="${curve(from, to)}" marker-end="url(#arrow-${edge.style})"/>`,
    ];
  });
  const nodes = layout.nodes.map((node) => {
    const radius = node.kind === 'topic' ? node.height / 2 : 6;
    const classes = ['node', node.kind, node.failure ? 'failure' : ''].filter(Boolean).join(' ');
    return [
      `<a href="#${escapeHtml(node.anchor)}" class="${classes}" data-node="${escapeHtml(node.id)}">`,
      `<title>${escapeHtml(node.kind === 'topic' ? `topic ${node.label}` : `Lambda function ${node.label}`)}</title>`,
      `<rect x="${node.x}" y="${node.y}" width="${node.width}" height="${node.height}" rx="${radius}" ry="${radius}"/>`,
      `<text x="${node.x + node.width / 2}" y="${node.y + node.height / 2}" dominant-baseline="central" text-anchor="middle">${escapeHtml(node.label)}</text>`,
      '</a>',
    ].join('');
  });
  const markers = (['flow', 'dead-letter', 'on-failure'] as const)
    .map(
      (style) =>
        `<marker id="arrow-${style}" class="arrow ${style}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>`,
    )
    .join('');
  return [
    `<svg class="pipeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${layout.width} ${layout.height}" style="max-width: ${layout.width}px" role="img" aria-label="Pipeline: topics, functions and the topics they write">`,
    `<defs>${markers}</defs>`,
    `<g class="edges">${edges.join('')}</g>`,
    `<g class="nodes">${nodes.join('')}</g>`,
    '</svg>',
  ].join('\n');
}

/** A horizontal S-curve from the right side of `from` to the left side of `to` (looping around when `to` is not further right). */
function curve(from: PlacedNode, to: PlacedNode): string {
  const x1 = from.x + from.width;
  const y1 = from.y + from.height / 2;
  const x2 = to.x;
  const y2 = to.y + to.height / 2;
  if (x2 > x1) {
    const bend = (x2 - x1) / 2;
    return `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`;
  }
  const below = Math.max(from.y + from.height, to.y + to.height) + 30;
  return `M${x1},${y1} C${x1 + 60},${below} ${x2 - 60},${below} ${x2},${y2}`;
}
