/**
 * Which entities of the pivot graph the detectors have open findings on: an address a SYN (or any)
 * finding names, and the host of a URL finding (as the graph's `domain:` or `ip:` node). The graph
 * coloured only blocklisted nodes, so the command-and-control domain the URL detector had flagged
 * looked like google.com (found by a UX review, session 26).
 */
import type { FindingsResponse } from '../../../../src/serve/api.ts';

export interface Flag {
  /** open or acknowledged findings on the entity */
  findings: number;
  maxScore: number;
  detectors: string[];
}

/** The graph node a finding's entity stands for: `ip:…` as it is; `url:…` its host; null otherwise. */
export function nodeOfEntity(entity: string): string | null {
  if (entity.startsWith('ip:')) return entity;
  if (!entity.startsWith('url:')) return null;
  let rest = entity.slice(4).replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  rest = rest.split(/[/?#\\]/, 1)[0] ?? '';
  rest = rest.slice(rest.lastIndexOf('@') + 1);
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d+)?$/i.exec(rest);
  if (bracketed !== null) return `ip:${bracketed[1]!.toLowerCase()}`;
  const host = rest.replace(/:\d+$/, '').replace(/\.$/, '').toLowerCase();
  if (host === '') return null;
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) ? `ip:${host}` : `domain:${host}`;
}

/** Findings grouped by the graph node they concern. */
export function flaggedNodes(findings: FindingsResponse['findings']): Map<string, Flag> {
  const out = new Map<string, Flag>();
  for (const f of findings) {
    const id = nodeOfEntity(f.entity);
    if (id === null) continue;
    const had = out.get(id);
    if (had === undefined) out.set(id, { findings: 1, maxScore: f.score, detectors: [f.detector] });
    else {
      had.findings++;
      had.maxScore = Math.max(had.maxScore, f.score);
      if (!had.detectors.includes(f.detector)) had.detectors.push(f.detector);
    }
  }
  return out;
}
