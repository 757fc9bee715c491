/** Live: ingest rate and its history, drops by reason, the store, the scheduled backups, the sources, and the live tail. */
import { formatAgo, formatBytes, formatCompact, formatInt, formatUtc, isFuture } from '../../lib/format.ts';
import { Sparkline } from '../../components/Sparkline.tsx';
import { useNow } from '../../lib/use-now.ts';
import { serverNow } from '../../lib/server-clock.ts';
import { backupAlert, backupTile } from './live-backup.ts';
import { mergesLine, notUtf8Notes, sourceHostNotes, staleFor, useLiveStats } from './live-stats.ts';
import { Tail } from './Tail.tsx';
import './live.css';

function Tile({ label, value, sub, bad = false }: { label: string; value: string; sub?: string | undefined; bad?: boolean }) {
  return (
    <div className={bad ? 'tile bad' : 'tile'}>
      <div className="tile-label">{label}</div>
      <div className="tile-value num" aria-label={`${label}: ${value}`}>
        {value}
      </div>
      {sub !== undefined && <div className="tile-sub faint">{sub}</div>}
    </div>
  );
}

export default function LivePage() {
  const { view, history, error } = useLiveStats();
  const now = useNow();
  // the store's times (lines, merges) are the server's: measured on its clock, not this browser's (server-clock.ts)
  const stampNow = serverNow(now);
  const stale = staleFor(view, now);
  const drops = Object.entries(view?.drops ?? {}).sort((a, b) => b[1] - a[1]);
  const totalDrops = drops.reduce((a, [, n]) => a + n, 0);
  const encodings = notUtf8Notes(view?.sources ?? [], formatInt);
  const backup = backupTile(view?.backup, stampNow, formatAgo);
  const backupFailing = backupAlert(view?.backup, stampNow, formatAgo, formatUtc);
  return (
    <div className="live-page">
      {error !== null && (
        <div className="notice error" role="alert">
          Cannot read the server's statistics: {error}
        </div>
      )}
      {stale !== null && (
        <div className="live-stale">
          Stale: last update {formatAgo(view!.at, now)} ({formatUtc(view!.at)}); the figures below are not current
        </div>
      )}
      {view !== null && view.problems.length > 0 && (
        <section className="notice error" role="alert" aria-label="Store problems">
          <strong>The store reports {view.problems.length === 1 ? 'a problem' : `${view.problems.length} problems`}</strong> (newest last; also in the server log and nml stats):
          <ul className="store-problems">
            {view.problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </section>
      )}
      {backupFailing !== null && (
        <section className="notice error" role="alert" aria-label="Scheduled backups failing">
          <strong>{backupFailing.head}</strong>
          <ul className="store-problems">
            {backupFailing.detail.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
        </section>
      )}
      {encodings.length > 0 && (
        <section className="notice" aria-label="Lines not in UTF-8">
          <strong>Lines stored altered</strong> (bytes a sender sent in another encoding, Latin-1 say; searches for their original text miss them):
          <ul className="store-problems">
            {encodings.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </section>
      )}
      <section className={`tiles panel${stale !== null ? ' stale' : ''}`} aria-label="Ingest and store">
        <div className="tile rate">
          <div className="tile-label">Ingest</div>
          <div className="tile-value num" aria-label={`Ingest: ${formatInt(view?.linesPerSecond ?? 0)} lines per second`}>
            {view === null ? '—' : formatCompact(view.linesPerSecond)}
            <small> lines/s</small>
          </div>
          <Sparkline values={history[1]} label="Ingest rate over the last five minutes" />
        </div>
        <Tile label="Bytes in" value={view?.bytesPerSecond == null ? '—' : `${formatBytes(view.bytesPerSecond)}/s`} />
        <Tile label="Stored lines" value={view?.lines == null ? '—' : formatCompact(view.lines)} sub={view?.lines == null ? undefined : formatInt(view.lines)} />
        <Tile label="Shards" value={view === null ? '—' : formatInt(view.shards)} sub={view === null ? undefined : mergesLine(view, stampNow, formatAgo)} />
        <Tile label="Disk used" value={formatBytes(view?.bytes)} sub={view?.diskFree == null ? undefined : `${formatBytes(view.diskFree)} free`} />
        <Tile
          label="Newest line"
          value={view?.newest == null ? '—' : formatAgo(view.newest, stampNow)}
          sub={
            view?.newest != null && isFuture(view.newest, stampNow)
              ? 'clock skew: ahead'
              : view?.oldest == null
                ? undefined
                : `oldest ${formatUtc(view.oldest)}`
          }
        />
        <Tile label="Dropped" value={formatInt(totalDrops)} sub={view?.queued == null ? undefined : `${formatInt(view.queued)} queued`} />
        {backup !== null && <Tile label="Last backup" value={backup.value} sub={backup.sub} bad={backup.failing} />}
      </section>

      <div className="live-grid">
        <section className="panel" aria-labelledby="drops-title">
          <div className="panel-head">
            <h2 id="drops-title">Drops by reason</h2>
          </div>
          {drops.length === 0 ? (
            <div className="empty small">No drops.</div>
          ) : (
            <table className="grid">
              <thead>
                <tr>
                  <th scope="col">Reason</th>
                  <th scope="col" className="num">
                    Lines
                  </th>
                </tr>
              </thead>
              <tbody>
                {drops.map(([reason, n]) => (
                  <tr key={reason}>
                    <td className="mono">{reason}</td>
                    <td className="num">{formatInt(n)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="panel" aria-labelledby="sources-title">
          <div className="panel-head">
            <h2 id="sources-title">Sources</h2>
          </div>
          <div className="table-wrap">
            <table className="grid">
              <thead>
                <tr>
                  <th scope="col">Source</th>
                  <th scope="col" className="num">
                    Lines
                  </th>
                  <th scope="col" className="num hide-narrow">
                    Bytes
                  </th>
                  <th scope="col" className="num">
                    Dropped
                  </th>
                </tr>
              </thead>
              <tbody>
                {(view?.sources ?? []).map((s) => (
                  <tr key={s.name}>
                    <td className="mono">
                      {s.name}
                      {sourceHostNotes(s).map((n) => (
                        <div key={n} className="source-host">
                          {n}
                        </div>
                      ))}
                    </td>
                    <td className="num">{formatInt(s.received)}</td>
                    <td className="num hide-narrow">{formatBytes(s.bytes)}</td>
                    <td className="num">{formatInt(Object.values(s.drops).reduce((a, n) => a + n, 0))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      </div>

      <Tail serverSilentMs={stale} />
    </div>
  );
}
