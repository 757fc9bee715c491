/**
 * The keyboard's way through the pivot graph, as pure functions (PivotGraph.tsx wires them to the
 * canvas): which node an arrow key moves to, what a key does, and what the live region says of the
 * node reached. In: node positions and ids; out: an id, an action, a sentence. Never touches Cytoscape.
 *
 * An arrow moves to the node nearest in that direction on the screen, not to the next neighbour: the
 * graph is laid out in rings by kind (hub-layout.ts), so what the eye sees to the right is where the
 * right arrow goes; the relations themselves are walked in the side panel's table, one button each.
 */

export type Direction = 'left' | 'right' | 'up' | 'down';

export interface Placed {
  id: string;
  x: number;
  y: number;
}

/** How much a step across the direction counts against a node, over a step along it. */
const ACROSS_WEIGHT = 2;

/**
 * The node nearest to `from` in `dir` (screen axes: y grows downwards), or null when none lies that way.
 * Nodes within 45° of the direction come first, the one of least distance along plus twice the distance
 * across; past them, any node on that side of `from` (a lone node far off the axis is still reachable).
 * Ties go to the lower id, so the same graph always answers the same.
 */
export function nearestInDirection(from: Placed, nodes: readonly Placed[], dir: Direction): string | null {
  let bestInCone: { id: string; score: number } | null = null;
  let bestOnSide: { id: string; score: number } | null = null;
  for (const n of nodes) {
    if (n.id === from.id) continue;
    const dx = n.x - from.x;
    const dy = n.y - from.y;
    const along = dir === 'right' ? dx : dir === 'left' ? -dx : dir === 'down' ? dy : -dy;
    const across = Math.abs(dir === 'left' || dir === 'right' ? dy : dx);
    if (along <= 0) continue;
    const score = along + ACROSS_WEIGHT * across;
    const better = (b: { id: string; score: number } | null) => b === null || score < b.score || (score === b.score && n.id < b.id);
    if (across <= along) {
      if (better(bestInCone)) bestInCone = { id: n.id, score };
    } else if (better(bestOnSide)) bestOnSide = { id: n.id, score };
  }
  return (bestInCone ?? bestOnSide)?.id ?? null;
}

export type GraphKeyAction = { move: Direction } | { do: 'open' | 'open-stay' | 'expand' | 'home' };

/**
 * What a key pressed on the graph does, or null for a key the graph leaves alone (Tab, shortcuts with
 * Ctrl, Alt or Meta). Enter opens the node's panel and moves the focus into it; Space opens it and
 * leaves the focus on the graph (to look through nodes); E or + expands it, as a double-tap does; Home
 * goes back to the pivot's entity.
 */
export function graphKeyAction(e: { key: string; ctrlKey?: boolean; altKey?: boolean; metaKey?: boolean }): GraphKeyAction | null {
  if (e.ctrlKey === true || e.altKey === true || e.metaKey === true) return null;
  switch (e.key) {
    case 'ArrowLeft':
      return { move: 'left' };
    case 'ArrowRight':
      return { move: 'right' };
    case 'ArrowUp':
      return { move: 'up' };
    case 'ArrowDown':
      return { move: 'down' };
    case 'Enter':
      return { do: 'open' };
    case ' ':
      return { do: 'open-stay' };
    case 'e':
    case 'E':
    case '+':
      return { do: 'expand' };
    case 'Home':
      return { do: 'home' };
    default:
      return null;
  }
}

/** The graph's accessible name: what it is, how big, and the keys. */
export function graphLabel(nodes: number): string {
  return `Relation graph, ${nodes} ${nodes === 1 ? 'entity' : 'entities'}; arrow keys move between entities, Enter opens one, Space shows it and stays here, E expands it, Home goes back to the pivot's entity`;
}

const KIND_WORDS: Record<string, string> = { ip: 'address', domain: 'domain', user: 'user', mac: 'device', host: 'host name', port: 'port', sig: 'alert signature', url: 'URL' };

/** What the live region says of the current node: its kind and name, its relations drawn, and what marks it. */
export function nodeAnnouncement(n: { id: string; type: string; relations: number; expanded: boolean; blocklisted: boolean; flagged: boolean; selected: boolean }): string {
  const name = n.id.slice(n.id.indexOf(':') + 1);
  const parts = [`${KIND_WORDS[n.type] ?? n.type} ${name}`, `${n.relations} ${n.relations === 1 ? 'relation' : 'relations'}`];
  if (n.flagged) parts.push("on the alerts' to-do list");
  if (n.blocklisted) parts.push('blocklisted');
  parts.push(n.expanded ? 'expanded' : 'not expanded');
  if (n.selected) parts.push('shown in the panel');
  return parts.join(', ');
}

/**
 * What the live region says when Space asks to show the node the panel already shows: that it is there,
 * and what it is. Said nothing until 2026-12 (the selection did not change, so nothing was announced).
 */
export function alreadyShown(n: { id: string; type: string; relations: number; expanded: boolean }): string {
  const name = n.id.slice(n.id.indexOf(':') + 1);
  return `already shown in the panel: ${KIND_WORDS[n.type] ?? n.type} ${name}, ${n.relations} ${n.relations === 1 ? 'relation' : 'relations'}, ${n.expanded ? 'expanded' : 'not expanded; E expands it'}`;
}

/** What the live region says when an arrow finds no node that way. */
export const noNodeThatWay = (dir: Direction): string => `no entity further ${dir === 'up' ? 'up' : dir === 'down' ? 'down' : `to the ${dir}`}`;
