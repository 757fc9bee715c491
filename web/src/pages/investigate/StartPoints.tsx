/**
 * Where to start when no entity is given: the entities of the latest findings still to do (open or
 * acknowledged: not those resolved or marked false positive), each a link that pivots
 * from it over its evidence window (as the Alerts page's "pivot"). Shows nothing when there is no
 * findings store, no finding, or the request fails: the page's own hint still says what to type.
 */
import { useEffect, useState } from 'react';
import { request } from '../../lib/api.ts';
import type { Finding, FindingsResponse } from '../../lib/types.ts';
import { pivotHref } from '../../lib/pages.ts';
import { Link } from '../../components/Link.tsx';

/** distinct entities listed at most */
const MAX_START = 8;

interface Start {
  entity: string;
  detector: string;
  score: number;
  href: string;
}

/** The latest finding of each entity, newest first, as pivot links (entities without a kind are left out). */
export function startPoints(findings: readonly Finding[], max = MAX_START): Start[] {
  const out: Start[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    const m = /^([a-z]+):(.+)$/s.exec(f.entity);
    if (m === null || seen.has(f.entity)) continue;
    const href = pivotHref(m[1]!, m[2]!, { from: new Date(f.evidence.from).toISOString(), to: new Date(f.evidence.to).toISOString() });
    if (href === null) continue;
    seen.add(f.entity);
    out.push({ entity: f.entity, detector: f.detector, score: f.score, href });
    if (out.length >= max) break;
  }
  return out;
}

export function StartPoints() {
  const [starts, setStarts] = useState<Start[]>([]);
  useEffect(() => {
    const ac = new AbortController();
    request<FindingsResponse>('/api/findings', { params: { limit: 50, status: 'open,acknowledged' }, signal: ac.signal })
      .then((r) => setStarts(startPoints(r.findings)))
      .catch(() => undefined);
    return () => ac.abort();
  }, []);
  if (starts.length === 0) return null;
  return (
    <nav className="start-points" aria-label="Start from a recent finding">
      <h4>Or start from a recent finding</h4>
      <ul>
        {starts.map((s) => (
          <li key={s.entity}>
            <Link href={s.href} className="mono" title={`${s.detector} finding, score ${s.score.toFixed(3)}`}>
              {s.entity}
            </Link>
            <span className="start-meta">
              {s.detector} {s.score.toFixed(3)}
            </span>
          </li>
        ))}
      </ul>
    </nav>
  );
}
