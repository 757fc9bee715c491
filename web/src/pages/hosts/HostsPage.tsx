/** The malicious-host board: source IPs by the SYN detector's probability, live, sortable; a click opens the host. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { request, isApiError, socketUrl } from '../../lib/api.ts';
import { openJsonSocket, SERVER_STOPPING, type JsonSocket, type SocketState } from '../../lib/socket.ts';
import { useUrlParams } from '../../lib/router.ts';
import { formatAgo, formatInt, formatUtc } from '../../lib/format.ts';
import { staleAge } from '../../lib/stale.ts';
import type { SynBoardStats, SynHost, SynHostsResponse, SynLiveMessage } from '../../lib/types.ts';
import { ScoreBar } from '../../components/ScoreBar.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { HostPanel } from './HostPanel.tsx';
import { TriageMark, useSynTriage } from './BoardTriage.tsx';
import { boardNow, idleFor, matchKey, mergeTop, onCaptureClock, ROW_LIMIT, seenAgo, sortHosts, type SortKey } from './board-rows.ts';
import { BoardNotes, keptSpan } from './BoardNotes.tsx';
import { addressLike, FindHost, ipv4Flaw } from './FindHost.tsx';
import './hosts.css';

/** Sources with this many SYNs or fewer (a spoofed flood's) can be hidden; the board sums them as `syn-flood` findings (FEW_SYNS). */
const FEW = 2;

/**
 * Sorts the hosts endpoint knows. It had no `distinctPorts`: the page asked for the top 200 by score and
 * sorted those by ports, so past 200 hosts the widest scanner below them never came first.
 */
const SERVER_SORTS: ReadonlySet<SortKey> = new Set(['score', 'packets', 'distinctPorts', 'ip', 'lastSeen']);
/** How long a changed row stays marked. */
const FLASH_MS = 2000;
/** The live connection's state, in words. */
const CONN_TEXT: Record<SocketState, string> = {
  connecting: 'connecting…',
  open: 'live',
  closed: 'cannot reach the server; retrying',
  failed: 'live updates stopped; reload the page',
};

/** The status while the server answers but its capture does not feed the board (BoardNotes says why). */
const FED_TEXT = {
  restarting: 'live; the capture is restarting',
  failed: 'live; the capture failed',
} as const;
/** A replayed file that could not be read is no capture that failed. */
const REPLAY_FAILED = 'live; the replay failed';

/** What the empty board waits for, with the source that feeds it. */
function noHostsYet(stats: SynBoardStats | null): string {
  const src = stats?.source;
  if (src == null) return 'The detector is running and has not scored a source yet.';
  if (src.kind === 'interface') return `The detector takes its SYNs from ${src.name} and has seen none yet: hosts appear here as they open connections.`;
  return `The detector replays ${src.name} and has not scored a source yet.`;
}

/** Live changes reach React at most this often (a flood sends dozens of 500-host chunks a second). */
const PUBLISH_MS = 200;

/** The feed's heartbeat interval until its first `heartbeat` says (the server's default, SYN_LIVE_BEAT_MS). */
const DEFAULT_BEAT_MS = 10_000;
/** Heartbeats missed in a row before the page says the figures may be out of date (30 s by default). */
const SILENT_BEATS = 3;
/** Heartbeats missed in a row before the page gives the connection up and opens another (60 s by default). */
const RECONNECT_BEATS = 6;

/** The flash marks still young and still on the list (the map would otherwise keep every address ever changed). */
function pruneFresh(fresh: ReadonlyMap<string, number>, now: number, keep?: ReadonlySet<string>): ReadonlyMap<string, number> {
  let stale = false;
  for (const [ip, t] of fresh) if (now - t >= FLASH_MS || (keep !== undefined && !keep.has(ip))) stale = true;
  if (!stale) return fresh;
  const next = new Map<string, number>();
  for (const [ip, t] of fresh) if (now - t < FLASH_MS && (keep === undefined || keep.has(ip))) next.set(ip, t);
  return next;
}

const COLUMNS: { key: SortKey; label: string; narrow?: boolean }[] = [
  { key: 'ip', label: 'Source IP' },
  { key: 'score', label: 'Probability' },
  { key: 'packets', label: 'Packets', narrow: true },
  { key: 'distinctPorts', label: 'Ports' },
  { key: 'lastSeen', label: 'Last seen', narrow: true },
];

export default function HostsPage() {
  const [params, setParams] = useUrlParams();
  const sort = (params.get('sort') ?? 'score') as SortKey;
  const order = params.get('order') === 'asc' ? 'asc' : 'desc';
  const selected = params.get('ip');
  // a flood's one- and two-SYN sources crowd the scanners out of the top of the list: hidden unless asked
  // for (a UX review watched the demo's flood bury every scanner with the box unticked by default)
  const hideFew = params.get('few') !== 'show';
  // the find box's text: only hosts whose address contains it are listed (asked of the server, so past the 200 rows too)
  const find = params.get('find') ?? '';
  const match = matchKey(find);
  const [findNote, setFindNote] = useState<string | null>(null);
  // the top ROW_LIMIT by the current sort, sorted: never every host the socket ever named
  const [hosts, setHosts] = useState<SynHost[]>([]);
  const [fresh, setFresh] = useState<ReadonlyMap<string, number>>(new Map());
  const [status, setStatus] = useState<'loading' | 'ok' | 'absent' | 'error'>('loading');
  const [error, setError] = useState<string | null>(null);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const [stats, setStats] = useState<SynBoardStats | null>(null);
  const [conn, setConn] = useState<SocketState>('connecting');
  // when the server last answered (browser clock), and the latest row of the host the panel shows, kept or not
  const [answeredAt, setAnsweredAt] = useState<number | null>(null);
  const [lost, setLost] = useState(false);
  // lost because the server said it was stopping (a restart or a shutdown), not for a reason unknown
  const [stopped, setStopped] = useState(false);
  // the heartbeat interval the server announces: silence past SILENT_BEATS of it is news
  const [beatMs, setBeatMs] = useState(DEFAULT_BEAT_MS);
  const [selectedLive, setSelectedLive] = useState<SynHost | null>(null);
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const [, setTick] = useState(0);
  const marks = useSynTriage();

  useEffect(() => {
    const ac = new AbortController();
    let sock: JsonSocket | null = null;
    const keep = { key: sort, order, minPackets: hideFew ? FEW + 1 : 1, match } as const;
    const byServer = SERVER_SORTS.has(sort);
    let top: SynHost[] = [];
    let latest: Extract<SynLiveMessage, { type: 'hosts' }> | null = null;
    let selectedRow: SynHost | null = null;
    let changedAt = new Map<string, number>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const publish = () => {
      timer = null;
      setHosts(top);
      setAnsweredAt(Date.now());
      if (selectedRow !== null) setSelectedLive(selectedRow);
      if (latest !== null) {
        setUpdatedAt(latest.updatedAt);
        setStats(latest.stats);
      }
      const kept = new Set(top.map((h) => h.ip));
      const add = changedAt;
      changedAt = new Map();
      setFresh((prev) => {
        const next = new Map(pruneFresh(prev, Date.now(), kept));
        for (const [ip, t] of add) if (kept.has(ip)) next.set(ip, t);
        return next;
      });
    };
    const readBoard = () =>
      request<SynHostsResponse>('/api/detect/syn/hosts', {
        params: { sort: byServer ? sort : 'score', order: byServer ? order : 'desc', limit: ROW_LIMIT, minPackets: keep.minPackets, ...(match === '' ? {} : { match }) },
        signal: ac.signal,
      });
    /** while the board is read again after a `resync`, the changes that come meanwhile, to apply on top of it */
    let rereading: { hosts: SynHost[]; gone?: string[] }[] | null = null;
    const reread = () => {
      if (rereading !== null) return;
      rereading = [];
      readBoard()
        .then((r) => {
          top = mergeTop([], r.hosts, keep);
          for (const m of rereading ?? []) top = mergeTop(top, m.hosts, keep, m.gone);
          setUpdatedAt(r.updatedAt);
          setStats(r.stats);
          timer ??= setTimeout(publish, PUBLISH_MS);
        })
        // not read: the rows stay as they were, and the next resync (or a reload) tries again
        .catch(() => undefined)
        .finally(() => {
          rereading = null;
        });
    };
    readBoard()
      .then((r) => {
        top = mergeTop([], r.hosts, keep);
        setHosts(top);
        setUpdatedAt(r.updatedAt);
        setStats(r.stats);
        setAnsweredAt(Date.now());
        setStatus('ok');
        sock = openJsonSocket(
          () => socketUrl('/api/detect/syn/live'),
          {
            onMessage(raw) {
              const m = raw as SynLiveMessage;
              if (m.type === 'heartbeat') {
                // nothing changed: the board shown is still the server's
                if (m.intervalMs > 0) setBeatMs(m.intervalMs);
                setAnsweredAt(Date.now());
                return;
              }
              // changes were skipped for this page (a slow link): what it shows misses them, so read the board again
              if (m.type === 'resync') return reread();
              if (m.type !== 'hosts') return;
              rereading?.push(m);
              const now = Date.now();
              // flash only what changed: the first message repeats the hosts already shown
              const before = new Map(top.map((h) => [h.ip, h.score]));
              // a finding that went idle comes marked so and stays; one the server no longer keeps is `gone`
              top = mergeTop(top, m.hosts, keep, m.gone);
              const kept = new Set(top.map((h) => h.ip));
              for (const h of m.hosts) if (kept.has(h.ip) && before.get(h.ip) !== h.score) changedAt.set(h.ip, now);
              for (const ip of changedAt.keys()) if (!kept.has(ip)) changedAt.delete(ip);
              const sel = selectedRef.current;
              if (sel !== null) for (const h of m.hosts) if (h.ip === sel) selectedRow = h;
              latest = m;
              timer ??= setTimeout(publish, PUBLISH_MS);
            },
            onState(s, why) {
              setConn(s);
              // lost until the server answers again: a reconnect attempt ("connecting") is no answer
              if (s === 'closed' || s === 'failed') setLost(true);
              else if (s === 'open') setLost(false);
              if (s !== 'connecting') setStopped(s === 'closed' && why === SERVER_STOPPING);
            },
          },
          // silent past RECONNECT_BEATS: the socket gives the connection up and opens another, which starts with the current board
          { defaultMs: DEFAULT_BEAT_MS, reconnectAfterBeats: RECONNECT_BEATS },
        );
      })
      .catch((e: unknown) => {
        if (ac.signal.aborted) return;
        if (isApiError(e) && e.status === 404) setStatus('absent');
        else {
          setStatus('error');
          setError(e instanceof Error ? e.message : String(e));
        }
      });
    // "last seen … ago" and the flash of changed rows age once a second
    const t = setInterval(() => {
      setTick((n) => n + 1);
      setFresh((prev) => pruneFresh(prev, Date.now()));
    }, 1000);
    return () => {
      ac.abort();
      sock?.close();
      clearInterval(t);
      if (timer !== null) clearTimeout(timer);
    };
  }, [hideFew, sort, order, match]);

  const rows = useMemo(() => sortHosts([...hosts], sort, order), [hosts, sort, order]);
  const setFind = useCallback((text: string) => setParams({ find: text === '' ? null : text }, { replace: true }), [setParams]);

  if (status === 'absent') {
    return (
      <div className="panel">
        <EmptyState title="The SYN detector is not running">
          <p>This board shows source hosts scored by the SYN-scan detector, live. The server answered 404 for its endpoint, so the detector is not enabled.</p>
          <p>
            To score your network's hosts live, start the server on the interface that sees their traffic: <code>nml serve --syn-interface eth0</code> (or{' '}
            <code>syn.interface</code> in the configuration; it needs tcpdump and the right to capture). To replay a capture instead:{' '}
            <code>nml serve --syn-pcap FILE</code> (add <code>--syn-speed 0</code> to replay as fast as possible), or <code>syn.pcap</code>. Then reload this page.
          </p>
        </EmptyState>
      </div>
    );
  }

  /** Closes the host panel and gives the focus back to the host's row, when it is still listed. */
  const closePanel = (ip: string) => {
    setParams({ ip: null });
    setTimeout(() => document.querySelector<HTMLElement>(`button.host-link[aria-label=${JSON.stringify(`Show host ${ip}`)}]`)?.focus(), 0);
  };
  const setSort = (key: SortKey) => setParams({ sort: key, order: key === sort && order === 'desc' ? 'asc' : 'desc' }, { replace: true });
  const now = Date.now();
  // silent with the connection open, or still silent while a new one opens after it was given up
  const silentMs = conn === 'open' || conn === 'connecting' ? staleAge(answeredAt, now, SILENT_BEATS * beatMs) : null;
  // the panel's host as the board last sent it: the newer of its row and its latest message (it may be off the list)
  const listed = selected === null ? undefined : rows.find((h) => h.ip === selected);
  const selLive = selectedLive?.ip === selected ? selectedLive : undefined;
  const panelLive = selLive !== undefined && (listed === undefined || selLive.packets >= listed.packets) ? selLive : listed;
  const threshold = stats?.threshold ?? 0.5;
  // hosts' last-seen times are the capture's: a replay's are measured from its own clock (a capture from
  // last year read "365d ago" on every row), a live interface's from the server's clock (server-clock.ts)
  const seenNow = boardNow(stats, now);
  const seenClock = onCaptureClock(stats) ? ` (capture time; the replay is at ${formatUtc(seenNow, true)})` : '';
  const high = rows.filter((h) => h.score >= threshold).length;
  // the page keeps ROW_LIMIT rows: past it, a count of those over the threshold is a lower bound unless
  // the rows are the top by score and some fall below it
  const highText = rows.length >= ROW_LIMIT && (high === rows.length || !(sort === 'score' && order === 'desc')) ? `${formatInt(high)}+` : formatInt(high);
  // findings the server lists after they went idle (counted apart from the hosts on its live board)
  const idleListed = rows.filter((h) => h.idle).length;
  const kept = stats !== null && stats.kept > 0 ? stats.kept : 0;
  const isListed = (ip: string) => rows.some((h) => h.ip === ip);
  // the server answers, but nothing feeds its board: "live" beside a green dot read as if SYNs came
  const fedState = stats?.source?.state;
  const fed = fedState === 'restarting' || fedState === 'failed' ? fedState : null;

  return (
    <div className={`hosts-page${selected !== null ? ' with-panel' : ''}`}>
      <section className="panel hosts-board" aria-labelledby="hosts-title">
        <div className="panel-head">
          <h2 id="hosts-title">Source hosts</h2>
          <span className={`dot ${conn === 'open' && silentMs === null && fed === null ? 'ok' : conn === 'failed' || (fed === 'failed' && conn === 'open') ? 'bad' : 'warn'}`} aria-hidden="true" />
          <span className={(conn === 'open' && silentMs === null && fed === null) || conn === 'connecting' ? 'faint' : 'conn-problem'} role="status">
            {silentMs !== null ? 'no word from the server' : conn === 'open' && fed !== null ? (fed === 'failed' && stats?.source?.kind === 'replay' ? REPLAY_FAILED : FED_TEXT[fed]) : CONN_TEXT[conn]}
          </span>
          <span className="spacer" />
          <label className="inline-field faint">
            <input type="checkbox" checked={hideFew} onChange={(e) => setParams({ few: e.target.checked ? null : 'show' }, { replace: true })} />
            hide 1–2 SYN sources
          </label>
          <FindHost value={find} onFilter={setFind} listed={isListed} onOpen={(ip) => setParams({ ip })} onNote={setFindNote} keptSpan={keptSpan(stats)} />
          <span className="faint board-counts">
            {formatInt(stats?.tracked ?? rows.length)} hosts
            {(kept > 0 || idleListed > 0) && ` + ${idleListed === kept ? formatInt(kept) : `${formatInt(idleListed)} of ${formatInt(kept)}`} idle flagged listed`}
            {hideFew && ` (${formatInt(rows.length)} of more than ${FEW} SYNs shown)`}
            {match !== '' && ` · ${formatInt(rows.length)}${rows.length >= ROW_LIMIT ? '+' : ''} matching “${find}”`} · {highText}
            {hideFew || match !== '' ? ' shown' : ''} ≥ {threshold} (threshold){stats !== null && ` · ${formatInt(stats.packets)} SYNs`}
            {/* 0: nothing scored yet (it read "updated 20794d ago", the epoch, on a fresh interface) */}
            {updatedAt !== null && updatedAt > 0 && ` · updated ${formatAgo(updatedAt, now)}`}
          </span>
        </div>
        {findNote !== null && (
          <p className="notice find-note" role="status">
            {findNote}
          </p>
        )}
        {stats !== null && <BoardNotes stats={stats} down={lost} stopped={stopped} silentMs={silentMs} reconnecting={conn === 'connecting'} answeredAt={answeredAt} />}
        {status === 'error' && <div className="notice error">{error}</div>}
        {status === 'loading' && (
          <div className="empty">
            <span className="spinner" />
          </div>
        )}
        {status === 'ok' && rows.length === 0 && match !== '' && (
          <EmptyState title={`No host matches “${find}”`}>
            {addressLike(find)
              ? `No host on the board has an address that contains “${find}”${hideFew ? ` among those of more than ${FEW} SYNs (untick “hide 1–2 SYN sources” to look among all)` : ''}.`
              : `“${find}” is not part of an IP address${ipv4Flaw(find) === null ? '' : ` (${ipv4Flaw(find)})`}: type digits and dots (203.179) or hex digits and colons (2001:db8:5::).`}{' '}
            Clear the box to list every host.
          </EmptyState>
        )}
        {status === 'ok' && rows.length === 0 && match === '' && (!hideFew || (stats?.tracked ?? 0) + kept === 0) && <EmptyState title="No hosts yet">{noHostsYet(stats)}</EmptyState>}
        {status === 'ok' && rows.length === 0 && match === '' && hideFew && (stats?.tracked ?? 0) + kept > 0 && <EmptyState title={`No host with more than ${FEW} SYNs`}>Every source on the board sent one or two SYNs; untick “hide 1–2 SYN sources” to list them.</EmptyState>}
        {rows.length > 0 && (
          <div className="table-wrap">
            <table className="grid hosts-table">
              <thead>
                <tr>
                  {COLUMNS.map((c) => (
                    <th key={c.key} scope="col" className={c.narrow === true ? 'hide-narrow' : undefined} aria-sort={sort === c.key ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}>
                      <button type="button" className="sort" onClick={() => setSort(c.key)} aria-label={`Sort by ${c.label}`}>
                        {c.label}
                        <span aria-hidden="true">{sort === c.key ? (order === 'asc' ? '▲' : '▼') : ''}</span>
                      </button>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((h) => {
                  const changed = now - (fresh.get(h.ip) ?? 0) < FLASH_MS;
                  return (
                    <tr key={h.ip} aria-selected={h.ip === selected} className={[changed ? 'flash' : '', h.idle ? 'idle' : ''].join(' ').trim() || undefined}>
                      <td className="mono">
                        <button type="button" className="host-link" onClick={() => setParams({ ip: h.ip })} aria-label={`Show host ${h.ip}`}>
                          {h.ip}
                        </button>
                        {h.idle && (
                          <span className="board-idle" title={`Idle: no SYN since ${formatUtc(h.lastSeen, true)}. Off the live board, listed because it is a finding, ${keptSpan(stats)}.`}>
                            idle {idleFor(h.lastSeen, seenNow)}
                          </span>
                        )}
                        <TriageMark ip={h.ip} mark={marks.get(h.ip)} now={now} score={h.score} threshold={threshold} />
                      </td>
                      <td className="c-score">
                        <ScoreBar score={h.score} threshold={threshold} label={`probability for ${h.ip}`} />
                      </td>
                      <td className="num hide-narrow">{formatInt(h.packets)}</td>
                      <td className="num">{formatInt(h.distinctPorts)}</td>
                      <td className="hide-narrow" title={formatUtc(h.lastSeen, true) + seenClock}>
                        {seenAgo(h.lastSeen, seenNow)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {selected !== null && (
        <HostPanel
          key={selected}
          ip={selected}
          onClose={() => closePanel(selected)}
          live={panelLive}
          answeredAt={answeredAt}
          down={lost || silentMs !== null}
          stopped={lost && stopped}
          keptSpan={keptSpan(stats)}
          seenNow={seenNow}
        />
      )}
    </div>
  );
}
