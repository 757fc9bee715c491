/**
 * Who a finding concerns, under its "why": the addresses that asked for a URL finding's host (with the
 * users behind them), and who is behind a finding's own address when it is one of the network's. Read
 * from `GET /api/findings/clients` for the rows shown, again when a row's count grows (a new sighting
 * may be a new client); each address opens its pivot.
 */
import { useEffect, useRef, useState } from 'react';
import { request } from '../../lib/api.ts';
import { pivotHref } from '../../lib/pages.ts';
import { Link } from '../../components/Link.tsx';
import type { Finding, FindingClientsResponse, FindingWho } from '../../lib/types.ts';
import { findingRangeIso } from './finding-range.ts';
import { behind } from '../../lib/identity.ts';

/** ids per request (the API's limit) */
const IDS_PER_REQUEST = 100;

/** Whether a finding may have anyone to name: a URL finding's clients, or a finding on an address. */
const asks = (f: Finding): boolean => f.detector === 'url' || f.entity.startsWith('ip:');

/**
 * `who` by finding id, for the findings given; a row asked for again when its count changes. A failed
 * request is not repeated until then (no retry storm every refresh), and an answer that comes after a
 * newer question for the same row is dropped.
 */
export function useFindingWho(findings: readonly Finding[]): ReadonlyMap<number, FindingWho> {
  const [who, setWho] = useState<ReadonlyMap<number, FindingWho>>(new Map());
  /** the count each id was last asked at */
  const asked = useRef(new Map<number, number>());
  useEffect(() => {
    const want = findings.filter((f) => asks(f) && asked.current.get(f.id) !== f.count);
    if (want.length === 0) return;
    for (const f of want) asked.current.set(f.id, f.count);
    for (let i = 0; i < want.length; i += IDS_PER_REQUEST) {
      const batch = want.slice(i, i + IDS_PER_REQUEST);
      // not aborted when the rows change: a refresh must not drop answers on the way (small, and few)
      request<FindingClientsResponse>('/api/findings/clients', { params: { ids: batch.map((f) => f.id).join(',') } })
        .then((r) =>
          setWho((p) => {
            const n = new Map(p);
            for (const f of batch) {
              const w = r.who[String(f.id)];
              // still the latest question for this row
              if (w !== undefined && asked.current.get(f.id) === f.count) n.set(f.id, w);
            }
            return n;
          }),
        )
        .catch(() => undefined); // a help beside the finding, not the finding: asked again with the row's next change
    }
  }, [findings]);
  return who;
}

function Address({ entity, range }: { entity: string; range: { from: string; to: string } }) {
  const value = entity.replace(/^ip:/, '');
  const href = pivotHref('ip', value, range);
  return href === null ? <span className="mono">{value}</span> : <Link className="mono" href={href} aria-label={`Investigate ${value}`}>{value}</Link>;
}

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * "19 requests, 3 lookups" and its tooltip; null for a single request and nothing else (said by the
 * address alone). A client that only looked the name up says so, even once: it never asked for a page.
 */
export function clientCounts(client: FindingWho['clients'][number], host: string): { text: string; title: string } | null {
  // `requests`, `connections` and `lookups` are absent from an older server
  const c = client;
  if (c.requests === undefined || c.lookups === undefined) {
    return c.count > 1 ? { text: `${c.count} requests`, title: `${c.count} requests for any URL of ${host} around this finding` } : null;
  }
  const connections = c.connections ?? 0;
  if (c.requests <= 1 && connections === 0 && c.lookups === 0) return null;
  const text: string[] = [];
  const title: string[] = [];
  if (c.requests > 0) {
    text.push(plural(c.requests, 'request'));
    title.push(`${plural(c.requests, 'HTTP/TLS request')} for any URL of ${host}`);
  }
  if (connections > 0) {
    // a name's client that reached it by address only: which of its addresses (no lookup or request of the name seen)
    const via = c.via ?? [];
    const to = via.map((a) => a.replace(/^ip:/, '')).join(', ');
    text.push(via.length > 0 ? `${plural(connections, 'connection')} to ${to}` : plural(connections, 'connection'));
    title.push(via.length > 0 ? `${plural(connections, 'connection')} to ${to}, ${via.length === 1 ? 'an address' : 'addresses'} ${host} resolved to` : `${plural(connections, 'connection')} to ${host}`);
  }
  if (c.lookups > 0) {
    text.push(plural(c.lookups, 'lookup'));
    title.push(`${plural(c.lookups, 'DNS lookup')} of ${host}${c.requests + connections === 0 ? ' (looked the name up only: no request for a page of it was seen)' : ''}`);
  }
  return { text: text.join(', '), title: `${title.join('; ')} around this finding` };
}

/** One line under a finding's "why"; nothing while there is nothing to say. */
export function WhoLine({ f, who }: { f: Finding; who: FindingWho | undefined }) {
  if (who === undefined) return null;
  const range = findingRangeIso(f);
  const self = behind(who.identity);
  if (f.detector === 'url') {
    if (who.total === 0) {
      return (
        <div className="who faint" title={`No proxy, URL-filter, HTTP, TLS, DNS or flow log line names a client of ${who.entity.replace(/^(domain|ip):/, '')} around this finding`}>
          no client seen asking for this host
        </div>
      );
    }
    const rest = who.total - who.clients.length;
    const host = who.entity.replace(/^(domain|ip):/, '');
    // the host's clients and their requests for it, any URL: a UX review read "asked for by … ×45" beside
    // a Count of 1 (sightings of this URL) as a contradiction. A DNS lookup is not a visit: requests,
    // connections and lookups are said apart (the server lists requesters first)
    return (
      <div className="who">
        clients of <span className="mono">{host}</span>:{' '}
        {who.clients.map((c, i) => {
          const user = behind(c.identity);
          const counts = clientCounts(c, host);
          return (
            <span key={c.entity}>
              {i > 0 && ', '}
              <Address entity={c.entity} range={range} />
              {user !== '' && <span className="who-user"> ({user})</span>}
              {counts !== null && (
                <span className="faint" title={counts.title}>
                  {' '}
                  · {counts.text}
                </span>
              )}
            </span>
          );
        })}
        {rest > 0 && <span className="faint"> and {rest} more</span>}
        {(who.sharedAddresses ?? []).length > 0 && (
          <span className="faint" title={`${host} also resolved to ${(who.sharedAddresses ?? []).map((a) => a.replace(/^ip:/, '')).join(', ')}, shared by many names (a CDN or hosting provider): connections there say nothing of this host and are not counted`}>
            {' '}
            · shared addresses not counted
          </span>
        )}
      </div>
    );
  }
  if (self === '') return null;
  return (
    <div className="who">
      behind it: <span className="who-user">{self}</span>
    </div>
  );
}
