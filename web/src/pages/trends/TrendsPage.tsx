/** Per attack type: reports over time, the probability the model gave each period, and the next period's probability with its reasons. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { request, isApiError, isAbort } from '../../lib/api.ts';
import { useUrlParams } from '../../lib/router.ts';
import { ScoreBar } from '../../components/ScoreBar.tsx';
import { Sparkline } from '../../components/Sparkline.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import type { TrendsPoint, TrendsResponse, TrendsSource, TrendsType } from './types.ts';
import { trendsBasisText } from '../../../../src/trends/basis-text.ts';
import { failingSourcesText, noDocumentsWhy, sourceErrorText } from '../../../../src/trends/source-errors.ts';
import { TOO_LITTLE_DATA } from '../../../../src/trends/caveats.ts';
import { DRIVERS_NOTE, driverText, driverWeightText, nextPeriodText, reportedText, shownDrivers } from '../../../../src/trends/driver-text.ts';
import { axisDates } from '../../../../src/trends/chart-dates.ts';
import { chosenTypes, toggledTypesParam } from '../../../../src/trends/type-filter.ts';
import { DocumentItem, PeriodDocuments, periodReports, type FocusAsk } from './PeriodDocuments.tsx';
import './trends.css';

/**
 * Why parts of the predicted line are missing: the first periods have no prediction (the model needs
 * history before its first one), and a later period that was not usable has none either; with nothing
 * counted either, every period shown lies in months with too few documents. Null when every period has one.
 */
export function predictionGapNote(points: readonly TrendsPoint[], period: 'day' | 'week'): string | null {
  const first = points.findIndex((p) => p.probability !== null);
  if (first < 0) {
    if (points.length === 0) return null;
    // nothing counted either: not a model short of history (it said so over 1,832 reports), but months with too few documents
    const counted = points.some((p) => p.partial !== true && p.observed !== null);
    return counted ? `No prediction yet: the model needs more ${period}s of history first.` : `No lines: every ${period} shown falls in a month with too few documents to count or to predict from (the warning above says which).`;
  }
  const later = points.slice(first).some((p) => p.probability === null);
  if (first === 0) return later ? 'Gaps in the line: periods with too little data have no prediction.' : null;
  const warmup = `No prediction for the first ${first === 1 ? period : `${first} ${period}s`} (the model's warm-up, before ${points[first]!.start.slice(0, 10)})`;
  return later ? `${warmup}; later gaps: periods with too little data have none either.` : `${warmup}.`;
}

/** The current period's count so far, said in words: drawn in the line it read as a sharp drop (1 report against 28 and 13). */
export function partialNote(points: readonly TrendsPoint[], period: 'day' | 'week'): string | null {
  const last = points.at(-1);
  if (last?.partial !== true) return null;
  const n = last.observed;
  const so = n === null ? 'too few documents so far' : `${n} ${n === 1 ? 'report' : 'reports'} so far`;
  return `This ${period} (from ${last.start.slice(0, 10)}) is not over: ${so}; it is left out of the reports line.`;
}

/**
 * The scale of the reports line, which has no axis: "reports per week, peak 31" (the highest count it
 * draws; the line is scaled to it), or why it is empty. The bare "reports" said neither unit nor scale.
 */
export function reportsScale(drawn: readonly (number | null)[], period: 'day' | 'week'): string {
  const counts = drawn.filter((v): v is number => v !== null);
  return counts.length === 0 ? `reports per ${period}: none counted` : `reports per ${period}, peak ${Math.max(...counts)}`;
}

/**
 * Room a date label takes along the axis, in CSS px: its own width (about 70 px at the axis's font size)
 * and a gap; the first and last labels sit inside the ends, so the points two labels mark lie at least this far apart.
 */
const AXIS_LABEL_PX = 115;

/** The period starts under a line, each at its point's place: the first left-aligned, the last right-aligned, those between centred; as many as fit the width. */
function DateAxis({ points, label }: { points: readonly TrendsPoint[]; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const measure = () => setWidth(el.clientWidth);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  // before the first measure: the first and last alone, which fit any width
  const dates = axisDates(
    points.map((p) => p.start),
    Math.min(5, 1 + Math.floor(width / AXIS_LABEL_PX)),
  );
  return (
    <div ref={ref} className="trend-axis" role="list" aria-label={label}>
      {dates.map((d, k) => (
        <time
          key={d.index}
          role="listitem"
          dateTime={d.date}
          className={k === 0 ? 'first' : k === dates.length - 1 ? 'last' : undefined}
          style={k === 0 || k === dates.length - 1 ? undefined : { left: `${(d.at * 100).toFixed(2)}%` }}
        >
          {d.date}
        </time>
      ))}
    </div>
  );
}

const SIDES = {
  raising: { arrow: '▲', label: 'raised it', title: 'added to the log-odds' },
  lowering: { arrow: '▼', label: 'lowered it', title: 'taken from the log-odds' },
} as const;

/** One side of "Why": the drivers that raised the probability, or those that lowered it, each with its weight. */
function DriverList({ id, side, drivers, period }: { id: string; side: keyof typeof SIDES; drivers: TrendsType['next']['drivers']; period: 'day' | 'week' }) {
  const { arrow, label, title } = SIDES[side];
  return (
    <>
      <p className={`trend-drivers-head ${side}`} id={id}>
        <span aria-hidden="true">{arrow}</span> {label}
      </p>
      <ul className={`drivers ${side}`} aria-labelledby={id}>
        {drivers.map((d) => (
          <li key={d.name}>
            {driverText(d, period)}{' '}
            <span className="muted mono" title={title}>
              {driverWeightText(d.weight)}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

function TypeCard({ t, period }: { t: TrendsType; period: 'day' | 'week' }) {
  // null stays null: the sparkline leaves a gap there, where a 0 would read as "predicted: never";
  // the unfinished current period is left out of the line too (its count so far is said below it)
  const observed = t.points.map((p) => (p.partial === true ? null : p.observed));
  const partial = partialNote(t.points, period);
  const predicted = t.points.map((p) => p.probability);
  const gapNote = predictionGapNote(t.points, period);
  const drivers = shownDrivers(t.next.drivers, 5);
  // the period whose reports are listed (PeriodDocuments): picked in its list or on the reports line
  const [picked, setPicked] = useState<string | null>(null);
  // "list them" takes the focus to the list it opens further down the card (PeriodDocuments); the select does not
  const [focusAsk, setFocusAsk] = useState<FocusAsk>(null);
  const focused = useCallback(() => setFocusAsk(null), []);
  const listReported = () => {
    setPicked(t.next.start);
    setFocusAsk({ start: t.next.start });
  };
  const pickAt = (e: React.MouseEvent<HTMLDivElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    if (box.width <= 0 || t.points.length === 0) return;
    const at = ((e.clientX - box.left) / box.width) * (t.points.length - 1);
    // the nearest period with reports of the type (PeriodDocuments lists the same): a line of 90 days gives each about 4 px
    let best: string | null = null;
    let distance = Infinity;
    t.points.forEach((p, i) => {
      if (periodReports(p) === 0 || Math.abs(i - at) >= distance) return;
      best = p.start;
      distance = Math.abs(i - at);
    });
    if (best !== null) setPicked(best);
  };
  // a reply from before the API listed them has none
  const lowering = shownDrivers(t.next.lowering ?? [], 3);
  // the type already reported in the period forecast (it is not over): said beside the forecast, with its reports a click away
  const reported = t.next.reported ?? null;
  return (
    <section className="trend-card" aria-label={t.label}>
      <header>
        <h3>{t.label}</h3>
        <ScoreBar score={t.next.probability} label={`${t.label} probability`} />
        {t.next.warning != null && (
          <span className="trend-flag" title={t.next.warning}>
            {TOO_LITTLE_DATA}
          </span>
        )}
      </header>
      <p className="muted trend-next">probability it is {nextPeriodText(t.next.start, period)}</p>
      {reported !== null && (
        <p className="trend-reported">
          {/* the forecast above stays: it reads the whole periods before, this says what has happened since */}
          <strong>Already reported:</strong> {reportedText(reported.count, period)} ·{' '}
          <button type="button" onClick={listReported} aria-label={`list them: ${t.label} reports ${period === 'day' ? 'today' : 'this week'}`}>
            list them
          </button>
        </p>
      )}
      <div className="trend-lines">
        <div>
          <span className="muted trend-scale">{reportsScale(observed, period)}</span>
          {/* a click picks the period under it; the list below PeriodDocuments is the keyboard's way */}
          <div className="trend-pick" title={`click a ${period} to list its reports`} onClick={pickAt}>
            <Sparkline values={observed} label={`${t.label} reports per period`} />
          </div>
          <DateAxis points={t.points} label={`${t.label} reports: ${period} starting`} />
        </div>
        <div>
          {/* Sparkline scales to at least 1: probabilities are drawn from 0 to 1 */}
          <span className="muted trend-scale">predicted probability, 0 to 1</span>
          <Sparkline values={predicted} label={`${t.label} predicted probability per period${gapNote === null ? '' : ` (${gapNote})`}`} />
          <DateAxis points={t.points} label={`${t.label} predicted probability: ${period} starting`} />
        </div>
      </div>
      {partial !== null && <p className="muted trend-note trend-partial">{partial}</p>}
      <PeriodDocuments t={t} period={period} picked={picked} onPick={setPicked} focusAsk={focusAsk} onFocused={focused} />
      {gapNote !== null && <p className="muted trend-note">{gapNote}</p>}
      {drivers.length + lowering.length > 0 && (
        <>
          <h4>Why</h4>
          <p className="muted trend-note trend-drivers-note">{DRIVERS_NOTE}</p>
          {drivers.length > 0 && <DriverList id={`${t.type}-raising`} side="raising" drivers={drivers} period={period} />}
          {lowering.length > 0 && <DriverList id={`${t.type}-lowering`} side="lowering" drivers={lowering} period={period} />}
        </>
      )}
      {t.next.calendar.length > 0 && (
        <>
          <h4>Calendar</h4>
          <ul>
            {t.next.calendar.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </>
      )}
      {t.next.documents.length > 0 && (
        <>
          <h4>Documents behind it</h4>
          <ul className="docs">
            {t.next.documents.map((d) => (
              <DocumentItem key={d.id} d={d} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** One chip per attack type: none pressed shows every card, pressed ones show alone (type-filter.ts); the choice is the URL's `types`. */
function TypeFilter({ types, chosen, onChange }: { types: readonly TrendsType[]; chosen: readonly string[]; onChange: (param: string | null) => void }) {
  const ids = types.map((t) => t.type);
  return (
    <div className="trend-filter" role="group" aria-label="attack types shown">
      <button type="button" className="btn small" aria-pressed={chosen.length === 0} onClick={() => onChange(null)}>
        all
      </button>
      {types.map((t) => (
        <button key={t.type} type="button" className="btn small" aria-pressed={chosen.includes(t.type)} onClick={() => onChange(toggledTypesParam(chosen, t.type, ids))}>
          {t.label}
        </button>
      ))}
    </div>
  );
}

/** A clause as a sentence: its first letter capitalised, a full stop after it. */
function sentence(clause: string): string {
  return `${clause.charAt(0).toUpperCase()}${clause.slice(1)}.`;
}

/** Each collection source's counters since nml started, the last error's message under its codes (or, once it fetched fine again, that it recovered). */
function SourcesTable({ sources }: { sources: readonly TrendsSource[] }) {
  return (
    <table className="sources" id="trend-sources" tabIndex={-1}>
      {/* the counters live in the running node: they start again at 0 when it restarts */}
      <caption>Collection sources, since nml started</caption>
      <thead>
        <tr>
          <th>source</th>
          <th title="fetches that got an answer; a failed try counts under errors">fetched</th>
          <th>last fetched</th>
          <th>stored</th>
          <th>duplicates</th>
          <th title="stored with their fetch time: dated over a day ahead, or without a readable date">dated at fetch</th>
          <th>errors</th>
        </tr>
      </thead>
      <tbody>
        {sources.map((s) => {
          const e = sourceErrorText(s);
          return (
            <tr key={s.name}>
              <td>{s.name}</td>
              <td className="num">{s.fetches}</td>
              <td className="mono">{s.lastFetchAt === null ? 'never' : `${new Date(s.lastFetchAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`}</td>
              <td className="num">{s.stored}</td>
              <td className="num">{s.duplicates}</td>
              <td className="num">{(s.futureDated ?? 0) + (s.undated ?? 0)}</td>
              <td>
                {e.codes}
                {/* a source that fetched fine since its last failure is not drawn as failing: it has recovered */}
                {e.message !== '' && <div className={e.recovered ? 'source-recovered muted' : 'source-error'}>{e.message}</div>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Sources whose last fetch failed, said above the cards, with a way to their row in the table at the foot of the page. */
function FailingSources({ sources }: { sources: readonly TrendsSource[] }) {
  const text = failingSourcesText(sources);
  if (text === null) return null;
  const toTable = () => {
    const table = document.getElementById('trend-sources');
    table?.scrollIntoView({ block: 'start' });
    table?.focus({ preventScroll: true });
  };
  return (
    <p className="trend-caveat trend-failing">
      {text}.{' '}
      <button type="button" onClick={toTable}>
        see the sources table
      </button>
    </p>
  );
}

export default function TrendsPage() {
  const [params, setParams] = useUrlParams();
  const period = params.get('period') === 'week' ? 'week' : 'day';
  const [data, setData] = useState<TrendsResponse | null>(null);
  const [status, setStatus] = useState<'loading' | 'ok' | 'absent' | 'empty' | 'error'>('loading');
  const [error, setError] = useState<string | null>(null);
  // no documents yet: the collector's sources as the server sent them (TRENDS_NO_DATA's details), to say why and list them
  const [noData, setNoData] = useState<readonly TrendsSource[]>([]);
  // the types the URL names (`?types=ddos,ransomware`); none: every type
  const chosen = data === null ? [] : chosenTypes(params.get('types'), data.types.map((t) => t.type));

  useEffect(() => {
    const ac = new AbortController();
    setStatus('loading');
    request<TrendsResponse>('/api/trends', { params: { period, limit: period === 'day' ? 90 : 52 }, signal: ac.signal })
      .then((r) => {
        setData(r);
        setStatus('ok');
      })
      .catch((e: unknown) => {
        if (isAbort(e)) return;
        if (isApiError(e) && e.status === 404) {
          const sources = e.details['sources'];
          setNoData(Array.isArray(sources) ? (sources as TrendsSource[]) : []);
          setStatus(e.code === 'TRENDS_NO_DATA' ? 'empty' : 'absent');
          return;
        }
        setError(e instanceof Error ? e.message : String(e));
        setStatus('error');
      });
    return () => ac.abort();
  }, [period]);

  return (
    <div className="page trends-page">
      <div className="toolbar">
        <h2>Attack-type trends</h2>
        <label>
          period{' '}
          <select value={period} onChange={(e) => setParams({ period: e.target.value })}>
            <option value="day">day</option>
            <option value="week">week</option>
          </select>
        </label>
        {/* the server's periods (src/trends/predict/periods.ts): UTC days, weeks from Monday */}
        <span className="trend-zone">{period === 'day' ? 'days run 00:00–24:00 UTC' : 'weeks run Monday 00:00 to Monday 00:00 UTC'}</span>
        {data !== null && (
          <span className="muted">
            {trendsBasisText(data.basis, data.period)}
          </span>
        )}
      </div>
      {status === 'loading' && <p className="muted">loading…</p>}
      {status === 'absent' && (
        <EmptyState title="Trends are off">
          <p>
            Set <code>trends.enabled</code> (and <code>trends.sources</code> to collect) in the configuration.
          </p>
        </EmptyState>
      )}
      {status === 'empty' && (
        <>
          <EmptyState title="No documents yet">
            {/* why, by what the collector says: no source, sources that fail, or sources not answered yet */}
            <p>{sentence(noDocumentsWhy(noData))}</p>
          </EmptyState>
          {noData.length > 0 && <SourcesTable sources={noData} />}
        </>
      )}
      {status === 'error' && <p role="alert">{error}</p>}
      {status === 'ok' && data !== null && (
        <>
          {data.caveat != null && (
            <p className="trend-caveat" role="note">
              {data.caveat}
            </p>
          )}
          {data.warning != null && (
            <p className="trend-caveat" role="alert">
              {data.warning}
            </p>
          )}
          <FailingSources sources={data.sources} />
          <TypeFilter types={data.types} chosen={chosen} onChange={(types) => setParams({ types })} />
          <div className="trend-grid">
            {data.types
              .filter((t) => chosen.length === 0 || chosen.includes(t.type))
              .map((t) => (
                <TypeCard key={`${data.period}/${t.type}`} t={t} period={data.period} />
              ))}
          </div>
          {data.sources.length > 0 && <SourcesTable sources={data.sources} />}
        </>
      )}
    </div>
  );
}
