import { FUNCTION_EXTENSION } from './build.js';
import type { JsonSchema } from './json-schema.js';
import { compareText } from './order.js';

/** A box of the pipeline diagram: a topic (channel) or a Lambda function. */
export interface DiagramNode {
  /** `topic:<channel id>` or `function:<name>`. */
  readonly id: string;
  readonly kind: 'topic' | 'function';
  readonly label: string;
  /** Topics that only receive dead letters or failed batches. */
  readonly failure: boolean;
  /** The page anchor the box links to. */
  readonly anchor: string;
}

/** An arrow: topic → function (receive) or function → topic (send). Dead-letter and on-failure arrows are drawn dashed. */
export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly style: 'flow' | 'dead-letter' | 'on-failure';
}

/** The pipeline read from an AsyncAPI document made by the builder. */
export interface PipelineGraph {
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
}

/** A node with its box. */
export interface PlacedNode extends DiagramNode {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The diagram laid out, in SVG user units. */
export interface PipelineLayout {
  readonly nodes: readonly PlacedNode[];
  readonly edges: readonly DiagramEdge[];
  readonly width: number;
  readonly height: number;
}

/** Page anchor of a channel's section. */
export const channelAnchor = (channelId: string): string => `channel-${channelId}`;
/** Page anchor of a function's section. */
export const functionAnchor = (name: string): string => `function-${name}`;

/** Topics and functions, and the arrows between them, from the document's operations. */
export function pipelineGraph(document: JsonSchema): PipelineGraph {
  const channels = (document.channels ?? {}) as Record<string, JsonSchema>;
  const operations = (document.operations ?? {}) as Record<string, JsonSchema>;
  const nodes = new Map<string, DiagramNode>();
  const edges = new Map<string, DiagramEdge>();
  const flowTopics = new Set<string>();
  for (const operation of Object.values(operations)) {
    const fn = operation[FUNCTION_EXTENSION];
    const channelId = String((operation.channel as JsonSchema | undefined)?.$ref ?? '').replace('#/channels/', '');
    const channel = channels[channelId];
    if (typeof fn !== 'string' || !channel) continue;
    const tags = ((operation.tags ?? []) as JsonSchema[]).map((tag) => tag.name);
    const style = tags.includes('dead-letter') ? 'dead-letter' : tags.includes('on-failure') ? 'on-failure' : 'flow';
    const topicId = `topic:${channelId}`;
    const functionId = `function:${fn}`;
    const address = typeof channel.address === 'string' ? channel.address : channelId;
    nodes.set(functionId, { id: functionId, kind: 'function', label: fn, failure: false, anchor: functionAnchor(fn) });
    const label = typeof channel.title === 'string' && address.includes('{') ? channel.title : address;
    nodes.set(topicId, { id: topicId, kind: 'topic', label, failure: false, anchor: channelAnchor(channelId) });
    if (style === 'flow') flowTopics.add(topicId);
    const edge: DiagramEdge =
      operation.action === 'receive' ? { from: topicId, to: functionId, style } : { from: functionId, to: topicId, style };
    edges.set(`${edge.from}>${edge.to}>${edge.style}`, edge);
  }
  const sortedNodes = [...nodes.values()]
    .map((node) => (node.kind === 'topic' && !flowTopics.has(node.id) ? { ...node, failure: true } : node))
    .sort((a, b) => compareText(a.id, b.id));
  const sortedEdges = [...edges.values()].sort((a, b) => compareText(`${a.from}>${a.to}`, `${b.from}>${b.to}`));
  return { nodes: sortedNodes, edges: sortedEdges };
}

const NODE_HEIGHT = 36;
const ROW_GAP = 18;
const COLUMN_GAP = 64;
const CHAR_WIDTH = 7.4; // 12px monospace
const PADDING = 20;
const MARGIN = 16;

/**
 * Layered layout, left to right: each node's column is the length of the
 * longest path reaching it (topics and functions alternate), rows are ordered
 * by the average row of their neighbours (a few sweeps), failure topics last.
 */
export function layoutPipeline(graph: PipelineGraph): PipelineLayout {
  const rank = new Map<string, number>(graph.nodes.map((node) => [node.id, 0]));
  // Longest path with at most |V| relaxations, so a cycle cannot loop forever.
  for (let round = 0; round < graph.nodes.length; round++) {
    let changed = false;
    for (const edge of graph.edges) {
      const next = (rank.get(edge.from) ?? 0) + 1;
      if (next > (rank.get(edge.to) ?? 0) && next <= graph.nodes.length) {
        rank.set(edge.to, next);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const columns: DiagramNode[][] = [];
  for (const node of graph.nodes) {
    const column = rank.get(node.id) ?? 0;
    const members = columns[column] ?? [];
    members.push(node);
    columns[column] = members;
  }
  const dense = columns.filter((column) => column !== undefined);
  const row = new Map<string, number>();
  const number = (column: readonly DiagramNode[]) => {
    for (const [index, node] of column.entries()) row.set(node.id, index);
  };
  for (const column of dense) number(column);
  const neighbours = (id: string) => graph.edges.flatMap((e) => (e.to === id ? [e.from] : e.from === id ? [e.to] : []));
  for (let sweep = 0; sweep < 4; sweep++) {
    for (const column of dense) {
      const weight = (node: DiagramNode) => {
        const rows = neighbours(node.id).map((id) => row.get(id) ?? 0);
        return (node.failure ? 1_000 : 0) + (rows.length > 0 ? rows.reduce((a, b) => a + b, 0) / rows.length : (row.get(node.id) ?? 0));
      };
      column.sort((a, b) => weight(a) - weight(b) || compareText(a.id, b.id));
      number(column);
    }
  }

  const tallest = Math.max(1, ...dense.map((column) => column.length));
  const height = MARGIN * 2 + tallest * NODE_HEIGHT + (tallest - 1) * ROW_GAP;
  const placed: PlacedNode[] = [];
  let x = MARGIN;
  for (const column of dense) {
    const width = Math.max(...column.map((node) => Math.ceil(node.label.length * CHAR_WIDTH) + PADDING * 2));
    const columnHeight = column.length * NODE_HEIGHT + (column.length - 1) * ROW_GAP;
    let y = (height - columnHeight) / 2;
    for (const node of column) {
      placed.push({ ...node, x, y, width, height: NODE_HEIGHT });
      y += NODE_HEIGHT + ROW_GAP;
    }
    x += width + COLUMN_GAP;
  }
  return { nodes: placed, edges: graph.edges, width: Math.max(x - COLUMN_GAP + MARGIN, MARGIN * 2), height };
}
