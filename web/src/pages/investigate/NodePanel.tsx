/** The selected entity: blocklist hits, who is behind it, and each relation with a link to its evidence lines. */
import { useEffect, useState, type RefObject } from 'react';
import { Link } from '../../components/Link.tsx';
import { formatInt, formatTime, formatUtc } from '../../lib/format.ts';
import { heldTitle, holders, type IdentityKind } from '../../lib/identity.ts';
import type { ApiIdentity } from '../../../../src/serve/api.ts';
import { evidenceHref, type Graph, type GraphNode } from './graph-model.ts';
import type { Flag } from './flagged.ts';
import { RELATIONS_SHOWN, relationRows } from './node-relations.ts';

interface Props {
  node: GraphNode;
  graph: Graph;
  /** the detectors' open or acknowledged findings on it, if any */
  flag: Flag | undefined;
  /** the most neighbours per relation the server lists */
  maxLimit: number;
  onExpand(): void;
  /** fetches the node again with room for all of its neighbours (up to `maxLimit` per relation) */
  onShowAll(): void;
  onPivot(): void;
  /** selects a neighbour, as a tap on its node does (the keyboard's and a screen reader's way into the graph) */
  onSelect(id: string): void;
  /** the page that pivots from an entity over the range shown */
  entityHref(id: string): string;
  /** its heading, which takes the focus when Enter on a graph node opens the panel */
  headingRef?: RefObject<HTMLHeadingElement | null>;
  /** Escape in the panel: the focus goes back to the graph */
  onLeave?(): void;
}

/**
 * The Alerts page on this node's findings: of its one detector, and of the node itself where every
 * finding names it as it is (a SYN or flood finding's `ip:…`), not among the many others that score as
 * high. A URL finding's entity is the URL, not the host node it is drawn on: those keep the detector only.
 */
export function alertsHref(nodeId: string, flag: Flag): string {
  const sp = new URLSearchParams();
  if (flag.detectors.length === 1) sp.set('detector', flag.detectors[0]!);
  if (nodeId.startsWith('ip:') && flag.detectors.every((d) => d === 'syn' || d === 'syn-flood')) {
    // every status, as the Hosts board's link: a finding already acknowledged is this host's too
    sp.set('status', 'all');
    sp.set('entity', nodeId);
  }
  const qs = sp.toString();
  return qs === '' ? '/alerts' : `/alerts?${qs}`;
}

export function NodePanel({ node, graph, flag, maxLimit, onExpand, onShowAll, onPivot, onSelect, entityHref, headingRef, onLeave }: Props) {
  const rows = relationRows(node.id, graph.edges.values());
  // the first RELATIONS_SHOWN rows, most lines first, until asked for all (again for each node selected)
  const [all, setAll] = useState(false);
  useEffect(() => setAll(false), [node.id]);
  const shown = all ? rows : rows.slice(0, RELATIONS_SHOWN);
  const id = node.identity;
  return (
    <section
      className="panel node-panel"
      aria-label="Selected entity"
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || onLeave === undefined || e.defaultPrevented) return;
        e.preventDefault();
        onLeave();
      }}
    >
      <div className="panel-head">
        <h2 className="mono entity-title" ref={headingRef} tabIndex={-1}>
          {node.id}
        </h2>
      </div>
      <div className="panel-body">
        {flag !== undefined && (
          <p className="notice error flagged-node" role="note">
            <strong>On the alerts' to-do list:</strong> {flag.findings === 1 ? 'a finding' : `${flag.findings} findings`} of the {flag.detectors.join(' and ')} detector
            {flag.detectors.length === 1 ? '' : 's'} (score up to {flag.maxScore.toFixed(3)}).{' '}
            <Link href={alertsHref(node.id, flag)}>Open the alerts</Link>
          </p>
        )}
        {node.blocklist.length > 0 && (
          <ul className="blocklist-hits" aria-label="Blocklist hits">
            {node.blocklist.map((h) => (
              <li key={h.list + h.indicator}>
                <strong>blocklisted</strong> {h.indicator} <span className="faint">({h.list})</span>
              </li>
            ))}
          </ul>
        )}
        {id !== null && (id.users.length > 0 || id.macs.length > 0 || id.hosts.length > 0) && (
          <dl className="identity">
            {id.users.length > 0 && (
              <>
                <dt>users</dt>
                <dd>
                  <HolderNames identity={id} kind="user" href={entityHref} />
                </dd>
              </>
            )}
            {id.hosts.length > 0 && (
              <>
                <dt>host names</dt>
                <dd>
                  <HolderNames identity={id} kind="host" href={entityHref} />
                </dd>
              </>
            )}
            {id.macs.length > 0 && (
              <>
                <dt>devices</dt>
                <dd className="mono">
                  <HolderNames identity={id} kind="mac" href={entityHref} />
                </dd>
              </>
            )}
            {id.since !== undefined && (
              <>
                <dt>held since</dt>
                <dd className="faint" title="when the current holder's lease (or first logon) began">
                  {formatUtc(id.since)}
                </dd>
              </>
            )}
          </dl>
        )}
        {node.articles > 0 && <p className="faint">{node.articles} article(s) mention it</p>}
        <div className="node-actions">
          <button type="button" className="btn small" onClick={onExpand} disabled={node.expanded}>
            {node.expanded ? 'Expanded' : 'Expand'}
          </button>
          <button type="button" className="btn small" onClick={onPivot}>
            Pivot from here
          </button>
        </div>
        {node.hidden > 0 && <HiddenNote hidden={node.hidden} canShowAll={node.drawnMost < Math.min(node.widest, maxLimit)} capped={node.widest > maxLimit} maxLimit={maxLimit} onShowAll={onShowAll} />}
        {node.partial.map((p) => (
          <p key={p.relation} className="notice partial-read" role="note">
            Too many {p.relation} lines for one pivot: read from {formatUtc(p.readFrom)} to the end of the range only; narrow the time range to see the rest.
          </p>
        ))}
        {node.timedOut && (
          <p className="notice partial-read" role="note">
            This pivot stopped at its time limit: relations not read by then are missing, and some addresses have no user or machine shown. Narrow the time range to see them.
          </p>
        )}
        <table className="grid relations">
          <thead>
            <tr>
              <th className="rel-relation">relation</th>
              <th>entity</th>
              <th className="num rel-lines">lines</th>
              <th className="rel-last">last seen (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {shown.map(({ edge: e, other, alongside }) => {
              // the search finds every line naming both entities, whatever the relation: the other relations
              // between the same two are in it too (an operator review saw "request → 11" open 30 lines: 19 DNS queries)
              const also = alongside.map((x) => `${countText(x)} ${x.relation}`).join(', ');
              const why = e.countMax === undefined ? `search: ${e.evidence.q}` : `${formatInt(e.count)} lines surely in the range, up to ${formatInt(e.countMax)} may be (the range cuts an hour of the relation index); the search counts them exactly: ${e.evidence.q}`;
              return (
                <tr key={e.id}>
                  <td>{e.source === node.id ? `${e.relation} →` : `← ${e.relation}`}</td>
                  <td className="mono">
                    <button type="button" className="link-button" onClick={() => onSelect(other)} aria-label={`Select ${other}`}>
                      {other}
                    </button>
                  </td>
                  <td className="num">
                    <Link href={evidenceHref(e.evidence)} title={also === '' ? why : `${why}. The search shows every line naming both, so also the ${also} lines between them`}>
                      {countText(e)}
                    </Link>
                    {also !== '' && <span className="faint rel-also"> + {also}</span>}
                  </td>
                  <td className="faint rel-last">
                    <LastSeen ms={e.last} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {shown.length < rows.length && (
          <p className="faint relations-more" role="note">
            The {formatInt(shown.length)} relations with the most lines of {formatInt(rows.length)}.{' '}
            <button type="button" className="link-button" onClick={() => setAll(true)}>
              Show all {formatInt(rows.length)}
            </button>
          </p>
        )}
      </div>
    </section>
  );
}

/** "38", or "1–107" where the range cuts an hour of the relation index (see src/investigate/types.ts, countMax) */
const countText = (e: { count: number; countMax?: number }): string => (e.countMax === undefined ? formatInt(e.count) : `${formatInt(e.count)}–${formatInt(e.countMax)}`);

/** Neighbours the per-relation limit left out, and the way to draw them. */
function HiddenNote({ hidden, canShowAll, capped, maxLimit, onShowAll }: { hidden: number; canShowAll: boolean; capped: boolean; maxLimit: number; onShowAll(): void }) {
  return (
    <p className="faint hidden-note">
      {formatInt(hidden)} more neighbours not drawn.{' '}
      {canShowAll && (
        <button type="button" className="link-button" onClick={onShowAll}>
          {capped ? `Show up to ${formatInt(maxLimit)} per relation` : `Show all ${formatInt(hidden)}`}
        </button>
      )}
      {capped && <> The server lists at most {formatInt(maxLimit)} per relation: narrow the time range for the rest.</>}
    </p>
  );
}

/** A time as date over clock, to fit its narrow column: the table stays inside the 420-px side panel. */
function LastSeen({ ms }: { ms: number }) {
  const [date, clock] = formatTime(ms, false).split(' ');
  return (
    <time dateTime={new Date(ms).toISOString()} title={`${formatTime(ms, false)} UTC`}>
      <span>{date}</span> <span>{clock}</span>
    </time>
  );
}

/**
 * The names of one kind behind an address: the current holder's, then an earlier holder's after
 * "before:" in the dimmer text; each name says when it was seen in its tooltip (UTC). With `href` each
 * name is a link that pivots from it (`user:…`, `host:…`, `mac:…`): an operator walk found the user
 * behind a flagged machine written out but no way on from it but finding it again in the relations.
 */
export function HolderNames({ identity, kind, href }: { identity: ApiIdentity; kind: IdentityKind; href?: (entity: string) => string }) {
  const { now, before } = holders(identity, kind);
  const names = (list: typeof now) =>
    list.map((n, i) => {
      const title = heldTitle(n);
      return (
        <span key={n.name}>
          {i > 0 && ', '}
          {href === undefined ? (
            <span className="held-name" title={title || undefined}>
              {n.name}
            </span>
          ) : (
            <Link className="held-name" href={href(`${kind}:${n.name}`)} title={title || undefined}>
              {n.name}
            </Link>
          )}
        </span>
      );
    });
  return (
    <>
      {names(now)}
      {before.length > 0 && (
        <span className="faint held-before">
          {now.length > 0 && '; '}before: {names(before)}
        </span>
      )}
    </>
  );
}
