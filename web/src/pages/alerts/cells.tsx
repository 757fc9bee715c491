/**
 * The Alerts table's entity cell and its row links (board, pivot, evidence), and the entity filter's chip
 * (`/alerts?entity=ip:…`: the links from Investigate and the Hosts board open the list on their host).
 */
import { Fragment } from 'react';
import type { Finding } from '../../lib/types.ts';
import { Link } from '../../components/Link.tsx';
import { UrlWeights, breaksAfter, charWeights } from './UrlWeights.tsx';
import { hasPage, pivotHref } from '../../lib/pages.ts';
import { evidenceRangeIso, findingRangeIso } from './finding-range.ts';
import { formatInt } from '../../lib/format.ts';
import { summedSources } from '../../../../src/detect/findings/syn-where.ts';

export function splitEntity(entity: string): { kind: string; value: string } {
  const m = /^([a-z]+):(.*)$/s.exec(entity);
  return m === null ? { kind: '', value: entity } : { kind: m[1]!, value: m[2]! };
}

/**
 * The evidence search on the range its events are in (first seen to last seen, and a margin); the
 * server's evidence window, wider on purpose (a line's own time may be hours from when it came), goes
 * along as `wideFrom`/`wideTo`, which the search page offers to widen to.
 */
export function evidenceHref(f: Finding): string {
  const near = evidenceRangeIso(f);
  const wide = findingRangeIso(f);
  const sp = new URLSearchParams({ q: f.evidence.query, ...near });
  if (wide.from !== near.from || wide.to !== near.to) {
    sp.set('wideFrom', wide.from);
    sp.set('wideTo', wide.to);
  }
  return `/search?${sp.toString()}`;
}

/**
 * What the entity is to the finding: a flood's entity is its victim (often your own server), every
 * other detector's is the source or the suspect itself; said in words, since the detector column
 * hides on narrow screens.
 */
function entityRole(f: Finding): string | null {
  if (f.detector === 'syn-flood') return 'target';
  if (f.detector === 'syn-wave') return 'dst port';
  if (f.detector === 'syn') return 'source';
  return null;
}

/**
 * A plain entity (no weights: a `domain:` host, a URL stored without them) with a break allowed after
 * each run of / . ? & = -, so a long one in a narrow column breaks between its parts ("cgi-bin/" /
 * "signin?") before the CSS breaks it anywhere.
 */
function BreakAtSeparators({ value }: { value: string }) {
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    if (!breaksAfter(value, i)) continue;
    parts.push(value.slice(from, i + 1));
    from = i + 1;
  }
  parts.push(value.slice(from));
  return (
    <span className="mono entity-value">
      {parts.map((p, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {p}
        </Fragment>
      ))}
    </span>
  );
}

export function EntityCell({ f }: { f: Finding }) {
  const { kind, value } = splitEntity(f.entity);
  const weights = kind === 'url' ? charWeights(f.explanation.detail, value) : null;
  const role = entityRole(f);
  return (
    <div className="entity-cell">
      {role !== null && <span className={`chip-role role-${role.replace(' ', '-')}`}>{role}</span>}
      {kind !== '' && <span className="chip-kind">{kind}</span>}
      {kind === 'ip' ? (
        // an address (IPv4 or IPv6, with any port) is read whole: "90.148." over "218.19" misread as two hosts
        <span className="mono entity-address">{value}</span>
      ) : weights !== null ? (
        <UrlWeights url={value} weights={weights} />
      ) : (
        <BreakAtSeparators value={value} />
      )}
    </div>
  );
}

/**
 * A SYN finding's page on the Hosts board, where its packets, image and weights are (the evidence search
 * finds only the detector's line): the server's `board` (a host, or for a flood or wave the board with its
 * 1–2-SYN sources shown), else the host of a `syn` finding from a server without it.
 */
export function BoardLink({ f }: { f: Finding }) {
  const { kind, value } = splitEntity(f.entity);
  if (!hasPage('/hosts')) return null;
  const href = f.board?.startsWith('/hosts') === true ? f.board : f.detector === 'syn' && kind === 'ip' ? `/hosts?${new URLSearchParams({ ip: value }).toString()}` : null;
  if (href === null) return null;
  const label = f.detector === 'syn' ? `${value} on the hosts board` : `the sources of ${f.entity} on the hosts board`;
  return (
    <Link className="btn small ghost" href={href} aria-label={label}>
      board
    </Link>
  );
}

/** Where a SYN finding's packets came from (the interface captured, or the capture replayed), under its Why; nothing for rows stored before the server kept it. */
export function SourceLine({ f }: { f: Finding }) {
  const s = f.evidence.source;
  if (s === undefined) return null;
  // a capture by its file name (its whole path in the title): the demo's path took two lines of every row
  const shown = s.kind === 'interface' ? s.name : (s.name.split(/[\\/]/).pop() ?? s.name) || s.name;
  return (
    <div className="who faint" title={`${s.kind === 'interface' ? 'interface' : 'capture'} ${s.name}`}>
      from {s.kind === 'interface' ? 'interface' : 'capture'} <span className="mono">{shown}</span>
    </div>
  );
}

/** A row's ways on: its evidence search, its Hosts board page (SYN findings) and its pivot. */
export function RowLinks({ f }: { f: Finding }) {
  return (
    <>
      <Link className="btn small" href={evidenceHref(f)} aria-label={`Evidence of finding ${f.id} in the search page`}>
        evidence
      </Link>
      <BoardLink f={f} />
      <PivotLink f={f} />
    </>
  );
}

/**
 * The kinds of entity a pivot starts from (GET /api/pivot: investigate/entity.ts, and `url:` for its host). A
 * watch's finding names its watch (`watch:failed logins`), which is no entity of the logs: no pivot.
 */
const PIVOT_KINDS = new Set(['ip', 'domain', 'mac', 'user', 'port', 'host', 'sig', 'url']);

export function PivotLink({ f }: { f: Finding }) {
  const { kind, value } = splitEntity(f.entity);
  const href = PIVOT_KINDS.has(kind) ? pivotHref(kind, value, findingRangeIso(f)) : null;
  if (href === null) return null;
  return (
    <Link className="btn small ghost" href={href} aria-label={`Investigate ${f.entity}`}>
      pivot
    </Link>
  );
}

/**
 * The Count cell. A `syn-flood` or `syn-wave` row sums sources, and its stored count is how often the
 * board wrote the row again (a flush of new sources each time): the demo's flood read "Count 8" beside
 * "375 sources" in its Why. Such a row shows its sources, the number its Why gives, with the sightings
 * in the title.
 */
export function CountCell({ f }: { f: Finding }) {
  const sources = summedSources(f);
  if (sources === null) return <td className="num hide-narrow">{formatInt(f.count)}</td>;
  return (
    <td className="num hide-narrow" title={`${formatInt(sources)} ${sources === 1 ? 'source' : 'sources'} summed into this ${f.detector === 'syn-flood' ? 'flood' : 'wave'}; written ${formatInt(f.count)} ${f.count === 1 ? 'time' : 'times'} as they came`}>
      {formatInt(sources)} <span className="faint">{sources === 1 ? 'source' : 'sources'}</span>
    </td>
  );
}

/** The entity filter, shown while one is set: its value and a button that takes it off. */
export function EntityFilterChip({ entity, onClear }: { entity: string; onClear(): void }) {
  if (entity === '') return null;
  return (
    <span className="entity-filter" role="group" aria-label="Entity filter">
      <span className="faint">Entity</span>
      <span className="mono entity-filter-value" title={entity}>
        {entity}
      </span>
      <button type="button" className="entity-filter-clear" aria-label={`Remove the entity filter ${entity}`} title="Show every entity" onClick={onClear}>
        ×
      </button>
    </span>
  );
}
