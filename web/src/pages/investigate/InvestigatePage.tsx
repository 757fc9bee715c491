/**
 * Investigate: type an entity (ip:10.0.0.5, domain:…, user:…), see what it is related to as a graph;
 * tap a node for its details and the searches that show the evidence, double-tap (or "Expand") to add
 * its own neighbours (from the keyboard: Tab to the graph, arrows, Enter, E; graph-keys.ts); the
 * scope-of-impact table lists the other hosts that reached the same destinations.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { request, isApiError } from '../../lib/api.ts';
import { hrefWith, useUrlParams } from '../../lib/router.ts';
import { TimePicker, rangeLabel, type TimeRange } from '../../components/TimePicker.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { Link } from '../../components/Link.tsx';
import { formatInt } from '../../lib/format.ts';
import type { FindingsResponse, PivotResponse, PivotSourcesResponse, ScopeResponse } from '../../../../src/serve/api.ts';
import { flaggedNodes, type Flag } from './flagged.ts';
import { emptyGraph, mergePivot, type Graph } from './graph-model.ts';
import { PivotGraph } from './PivotGraph.tsx';
import { NodePanel } from './NodePanel.tsx';
import { ScopeTable, noBlocklistText } from './ScopeTable.tsx';
import { StartPoints } from './StartPoints.tsx';
import { urlEvidenceQuery } from '../../../../src/detect/url/evidence-query.ts';
import './investigate.css';

const DEFAULT_FROM = '-24h';
/** neighbours per relation added by one expansion: enough to see, few enough to read */
const EXPAND_LIMIT = 15;
/** the most the server lists per relation (PIVOT_LIMIT_MAX, src/serve/routes/pivot.ts): "show all" asks for up to this */
export const PIVOT_LIMIT_MAX = 1000;
/** findings read to mark the graph's nodes: the highest-scored of the work queue (the API's page maximum) */
const FLAGGED_MAX = 1000;

/** `window`: "from/to" as the page's own from and to read (to '' for now), or null. */
function parseWindow(w: string | null): TimeRange | null {
  const slash = w?.indexOf('/') ?? -1;
  if (w === null || slash <= 0) return null;
  return { from: w.slice(0, slash), to: w.slice(slash + 1) };
}

/** An answer's range (ms, null for an open end) as the time picker's: an open start keeps the page's own. */
function isoRange(r: { from: number | null; to: number | null }, from: string): TimeRange {
  return { from: r.from === null ? from : new Date(r.from).toISOString(), to: r.to === null ? '' : new Date(r.to).toISOString() };
}

function rangeParams(from: string, to: string): { from?: string; to?: string } {
  return { ...(from === 'all' ? {} : { from }), ...(to === '' ? {} : { to }) };
}

/** whether a pivot answer has a count the range cuts an hour for (`countMax`, which the API adds then) */
function cutsAnHour(p: PivotResponse): boolean {
  return p.groups.some((g) => g.neighbours.some((n) => n.countMax !== undefined));
}

export default function InvestigatePage() {
  const [params, setParams] = useUrlParams();
  const entity = params.get('entity') ?? '';
  const from = params.get('from') ?? DEFAULT_FROM;
  const to = params.get('to') ?? '';
  // the range this one was widened from to whole hours ("from/to", to '' for now): kept in view with a way back
  const widenedFrom = parseWindow(params.get('window'));
  const [draft, setDraft] = useState(entity);
  const [graph, setGraph] = useState<Graph>(emptyGraph);
  const [selected, setSelected] = useState<string | null>(null);
  // Enter on a graph node opens its panel and moves the focus there (a count bumped per Enter); Escape in the panel gives it back
  const graphFrame = useRef<HTMLDivElement>(null);
  const panelHeading = useRef<HTMLHeadingElement>(null);
  const [panelFocus, setPanelFocus] = useState(0);
  useEffect(() => {
    if (panelFocus > 0) panelHeading.current?.focus();
  }, [panelFocus]);
  const [scope, setScope] = useState<ScopeResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [absent, setAbsent] = useState(false);
  // the detectors' work queue (open and acknowledged findings), to mark the nodes they concern
  const [flags, setFlags] = useState<Map<string, Flag>>(() => new Map());
  useEffect(() => {
    const ac = new AbortController();
    request<FindingsResponse>('/api/findings', { params: { status: 'open,acknowledged', sort: 'score', limit: FLAGGED_MAX }, signal: ac.signal, background: true })
      .then((r) => setFlags(flaggedNodes(r.findings)))
      .catch(() => undefined); // a help, not the graph: without it no node is marked
    return () => ac.abort();
  }, [entity]);

  // whether a blocklist is loaded: the scope table's column of zeros says nothing without one
  const [noBlocklist, setNoBlocklist] = useState<string | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    request<PivotSourcesResponse>('/api/pivot/sources', { signal: ac.signal, background: true })
      .then((s) => setNoBlocklist(noBlocklistText(s.blocklists)))
      .catch(() => undefined); // a help, not the table: without it the column shows its counts
    return () => ac.abort();
  }, []);

  // a neighbour whose count the range cuts an hour of the relation index for (countMax: see src/investigate/types.ts),
  // and the whole hours over which every count is exact (the answer's exactRange)
  const [approx, setApprox] = useState(false);
  const [exactRange, setExactRange] = useState<PivotResponse['exactRange'] | undefined>(undefined);
  const pivot = useCallback(
    (e: string, signal: AbortSignal, limit = EXPAND_LIMIT): Promise<PivotResponse> => request<PivotResponse>('/api/pivot', { params: { entity: e, limit, ...rangeParams(from, to) }, signal }),
    [from, to],
  );
  // the graph of this entity and range: a new one aborts the expansions still out for the one before
  const run = useRef(new AbortController());

  useEffect(() => {
    const ac = new AbortController();
    run.current = ac;
    setDraft(entity);
    setGraph(emptyGraph());
    setSelected(null);
    setScope(null);
    setError(null);
    setApprox(false);
    setExactRange(undefined);
    if (entity === '') return () => ac.abort();
    setBusy(true);
    pivot(entity, ac.signal)
      .then((p) => {
        const g = mergePivot(emptyGraph(), p);
        setGraph(g);
        setApprox(cutsAnHour(p));
        setExactRange(p.exactRange);
        setSelected(g.root);
        if (g.root?.startsWith('ip:') === true) {
          return request<ScopeResponse>('/api/pivot/scope', { params: { entity: g.root, limit: 25, ...rangeParams(from, to) }, signal: ac.signal }).then(setScope);
        }
        return undefined;
      })
      .catch((e: unknown) => {
        if (ac.signal.aborted) return;
        if (isApiError(e) && e.status === 404 && e.code === 'HTTP_NOT_FOUND') setAbsent(true);
        else setError(e instanceof Error ? e.message : String(e));
      })
      .finally(() => {
        if (!ac.signal.aborted) setBusy(false);
      });
    return () => ac.abort();
  }, [entity, from, to, pivot]);

  // `limit`: "show all" fetches an expanded node again with room for all of its neighbours
  const expand = useCallback(
    (id: string, limit?: number) => {
      setSelected(id);
      if (limit === undefined && graph.nodes.get(id)?.expanded === true) return;
      const ac = run.current;
      setBusy(true);
      pivot(id, ac.signal, limit)
        .then((p) => {
          // merged into the graph as it is when the answer comes (another expansion may have landed), never an older entity's
          if (ac.signal.aborted) return;
          setGraph((g) => mergePivot(g, p));
          if (cutsAnHour(p)) setApprox(true);
          if (p.exactRange !== undefined) setExactRange((w) => w ?? p.exactRange);
        })
        .catch((e: unknown) => {
          if (!ac.signal.aborted) setError(e instanceof Error ? e.message : String(e));
        })
        .finally(() => {
          if (!ac.signal.aborted) setBusy(false);
        });
    },
    [graph, pivot],
  );

  // a link that pivots from an entity over the range shown (middle-click keeps this graph in its tab)
  const entityHref = (id: string) =>
    `/investigate?${new URLSearchParams({ entity: id, ...(from === DEFAULT_FROM ? {} : { from }), ...(to === '' ? {} : { to }), ...(widenedFrom === null ? {} : { window: `${widenedFrom.from}/${widenedFrom.to}` }) }).toString()}`;
  // a range of the operator's own replaces a widened one: the way back to the window it came from goes with it
  const setRange = (r: TimeRange) => setParams({ from: r.from === DEFAULT_FROM ? null : r.from, to: r.to, window: null });
  // links, not buttons: the widened range (and the way back) opens in a tab of its own on a middle-click
  const widenHref = (w: { from: number | null; to: number | null }) => hrefWith('/investigate', params, { ...isoRange(w, from), window: `${from}/${to}` });
  const backHref = (w: TimeRange) => hrefWith('/investigate', params, { from: w.from === DEFAULT_FROM ? null : w.from, to: w.to, window: null });

  if (absent) {
    return (
      <div className="panel">
        <EmptyState title="Pivots are not available">
          <p>The server answered 404 for <code>/api/pivot</code>: this node runs without the investigator.</p>
        </EmptyState>
      </div>
    );
  }

  const node = selected === null ? undefined : graph.nodes.get(selected);
  // the entity's own pivot failed: its error (above) says what to write; an empty graph of "0 entities" under it read as an answer
  const refused = error !== null && graph.root === null;
  return (
    <div className="investigate-page">
      <form
        className="investigate-bar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ entity: draft.trim() });
        }}
      >
        <input
          className="input mono entity-input"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="ip:10.0.0.5 · domain:evil.example · user:alice · mac:aa:bb:cc:dd:ee:ff"
          aria-label="Entity to pivot from"
          spellCheck={false}
        />
        <TimePicker value={{ from, to }} onChange={setRange} />
        <button type="submit" className="btn primary">
          Pivot
        </button>
        {busy && <span className="spinner" role="status" aria-label="loading" />}
      </form>
      {error !== null && (
        <div className="notice error" role="alert">
          {error}
        </div>
      )}
      {entity === '' ? (
        <div className="panel">
          <EmptyState title="Start from an entity">
            <p>
              Type an address, a domain, a user or a MAC address. The graph shows the names it resolved, where it connected, who used it
              (DHCP and logons), blocklist hits and IDS alerts; double-tap a node to follow it.
            </p>
          </EmptyState>
          <StartPoints />
        </div>
      ) : refused ? null : (
        <div className="investigate-body">
          <section className="panel graph-panel" aria-label="Relation graph">
            <div className="panel-head">
              <h2 className="mono entity-title">{graph.root ?? entity}</h2>
              <span className="spacer" />
              <span className="faint">
                {formatInt(graph.nodes.size)} {graph.nodes.size === 1 ? 'entity' : 'entities'} · {formatInt(graph.edges.size)} relation{graph.edges.size === 1 ? '' : 's'} · double-tap or press E to expand
              </span>
            </div>
            {graph.root !== null && entity.startsWith('url:') && graph.root !== entity && (
              // a URL has no relations of its own: its host's are shown (a review saw the box say url:… and the graph a domain, unexplained)
              <p className="notice" role="note">
                A URL is investigated through its host: <code>{graph.root}</code>, the host of <code>{entity.slice(4)}</code>. To see the lines of this URL
                itself, <Link href={`/search?${new URLSearchParams({ q: urlEvidenceQuery(entity.slice(4)), from, ...(to === '' ? {} : { to }) }).toString()}`}>search for it</Link>.
              </p>
            )}
            {!busy && error === null && graph.root !== null && graph.edges.size === 0 && (
              <div className="notice" role="status">
                No relations of <code>{graph.root}</code> in the range shown ({rangeLabel({ from, to })}): no line in it ties it
                to another address, name or account. Widen the time range above, or{' '}
                <Link href={`/search?${new URLSearchParams({ q: graph.root, from, ...(to === '' ? {} : { to }) }).toString()}`}>search for its lines</Link>.
              </div>
            )}
            {widenedFrom !== null && (
              <p className="notice widened" role="note">
                Widened to whole hours, {rangeLabel({ from, to })}, so that every count is exact
                {to === '' ? " (the current hour's counts still grow as lines come in)" : ''}; relations of those hours outside the window join the graph. The window it was
                widened from: <strong>{rangeLabel(widenedFrom)}</strong>.{' '}
                <Link href={backHref(widenedFrom)}>Back to that window</Link>
              </p>
            )}
            {approx && (
              <p className="notice approx" role="note">
                The range starts or ends inside an hour, and relations are indexed per hour: a count shown as 1–4 means at least 1 and at most 4
                lines lie in the range. Its lines link counts them exactly
                {exactRange === undefined ? (
                  '; a range of whole hours needs no estimate.'
                ) : (
                  <>
                    , and so does a range of whole hours:{' '}
                    <Link href={widenHref(exactRange)}>widen to {rangeLabel(isoRange(exactRange, from))}</Link>{' '}
                    {/* the range cut the hour still running: the server ends it at now, not at an hour to come */}
                    ({exactRange.to === null ? "the current hour's counts still grow as lines come in; " : ''}the window shown now stays named, with a way back).
                  </>
                )}
              </p>
            )}
            <PivotGraph
              graph={graph}
              flags={flags}
              selected={selected}
              onSelect={setSelected}
              onExpand={expand}
              onOpen={(id) => {
                setSelected(id);
                setPanelFocus((k) => k + 1);
              }}
              frame={graphFrame}
            />
          </section>
          <div className="investigate-side">
            {node !== undefined && (
              <NodePanel
                node={node}
                graph={graph}
                flag={flags.get(node.id)}
                maxLimit={PIVOT_LIMIT_MAX}
                onExpand={() => expand(node.id)}
                onShowAll={() => expand(node.id, Math.min(PIVOT_LIMIT_MAX, node.widest))}
                onPivot={() => setParams({ entity: node.id })}
                onSelect={setSelected}
                entityHref={entityHref}
                headingRef={panelHeading}
                onLeave={() => graphFrame.current?.focus()}
              />
            )}
          </div>
          {/* the width of the page: its columns (users, the destinations shared) were squeezed into the side column */}
          {scope !== null && scope.destinations > 0 && <ScopeTable scope={scope} noBlocklist={noBlocklist} entityHref={entityHref} />}
        </div>
      )}
    </div>
  );
}
