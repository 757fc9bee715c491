/**
 * Which entities of the pivot graph the detectors have open findings on: an address a SYN (or any)
 * finding names, and the host of a URL finding (as the graph's `domain:` or `ip:` node). The graph
 * coloured only blocklisted nodes, so the command-and-control domain the URL detector had flagged
 * looked like google.com (found by a UX review, session 26).
 */
import type { FindingsResponse } from '../../../../src/serve/api.ts';
// no imports in either: the bundle takes the server's own URL and address reading as it is
import { urlHost } from '../../../../src/core/url-host.ts';
import { mappedIPv4, parseIp } from '../../../../src/core/ip.ts';

export interface Flag {
  /** open or acknowledged findings on the entity */
  findings: number;
  maxScore: number;
  detectors: string[];
}

/**
 * The graph node a finding's entity stands for: `ip:…` as it is, `domain:…` (a URL finding summed per
 * host: it was left out, so a C2 host said "3 findings" beside 4 on the Alerts page); `url:…` its host, read as the server's
 * pivot reads it (investigate/entity.ts: the same urlHost, an address in its key form, an IPv4-mapped
 * IPv6 one as IPv4); null otherwise.
 */
export function nodeOfEntity(entity: string): string | null {
  if (entity.startsWith('ip:')) return entity;
  if (entity.startsWith('domain:')) return `domain:${entity.slice(7).toLowerCase().replace(/\.$/, '')}`;
  if (!entity.startsWith('url:')) return null;
  const host = urlHost(entity.slice(4));
  if (host === null) return null;
  const ip = parseIp(host);
  if (ip !== null) return `ip:${mappedIPv4(ip) ?? ip.text}`;
  return `domain:${host.toLowerCase().replace(/\.$/, '')}`;
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
