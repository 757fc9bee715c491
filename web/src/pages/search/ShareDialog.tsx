/**
 * "Share anonymized…" (admins only): the labelled, anonymized dataset of the search shown, as `nml share
 * export` makes it, from the page. The dialog says before anything leaves what range and query go, what is
 * anonymized and what stays in clear (the words of the dataset's README, src/share/readme.ts), takes the
 * site's own domains, and previews what the recipient gets: every finding's count and the first lines,
 * anonymized by the server with its key. Download is a plain link to the same GET with download=1: the
 * browser streams the whole export to disk (70 MB for 200,000 lines) and the page never holds it. The
 * dialog holds the search's pin while Download is offered (pin-hold.ts, as the page does while it can load
 * more), so a dialog left open does not lose its lines to a merge; a pin the server can no longer answer for
 * (a restart, an hour since, a merge: SEARCH_AS_OF_TOO_OLD), at a hold or at the preview, is said in words
 * with one button that pins the same range again at now and previews anew, instead of a raw 409.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { isAbort, isApiError, type ApiError } from '../../lib/api.ts';
import { formatInt, formatTime, formatUtc } from '../../lib/format.ts';
import { serverNow } from '../../lib/server-clock.ts';
import { holdPin } from './pin-hold.ts';
import type { PinnedRange } from './pinned-range.ts';
import { isPinLost, pinLostReason } from './PinLost.tsx';
import { domainProblem, fetchSharePreview, PREVIEW_LINES, shareDownloadHref, type SharePreview, type ShareRequest } from './share-export.ts';
import { ShareFacts } from './ShareFacts.tsx';

type Range = Pick<PinnedRange, 'from' | 'to' | 'asOf'>;
type PreviewState = { kind: 'loading' } | { kind: 'ok'; preview: SharePreview } | { kind: 'error'; error: Error };

/**
 * The button beside the search's total, and its dialog while open. Once the search's pin is lost (`pinLost`:
 * the page's notice offers the rerun) the button goes, but an open dialog stays: it says the same in its words.
 */
export function ShareAction({ q, range, pinLost }: { q: string; range: Range; pinLost: boolean }) {
  const [open, setOpen] = useState(false);
  if (pinLost && !open) return null;
  return (
    <>
      {!pinLost && (
        <button type="button" className="btn small share-open" onClick={() => setOpen(true)} title="an anonymized, labelled dataset of this search's range and query, to give a researcher, a CERT or a vendor">
          Share anonymized…
        </button>
      )}
      {open && <ShareDialog q={q} range={range} onClose={() => setOpen(false)} />}
    </>
  );
}

/** A time the range names, as the page shows times (the text itself when it is no instant: a span, an open end). */
function when(text: string | undefined, open: string): string {
  if (text === undefined) return open;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? text : formatUtc(ms);
}

function ShareDialog({ q, range, onClose }: { q: string; range: Range; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const ids = useId();
  // the search as it was when the dialog opened: what the preview shows is what downloads
  const [asked, setAsked] = useState({ q, range });
  const [domains, setDomains] = useState<string[]>([]);
  const [draft, setDraft] = useState('');
  const [draftError, setDraftError] = useState<string | null>(null);
  const [state, setState] = useState<PreviewState>({ kind: 'loading' });
  const [started, setStarted] = useState(false);
  const req: ShareRequest = useMemo(() => ({ ...asked, internalDomains: domains }), [asked, domains]);

  useEffect(() => {
    const d = ref.current;
    if (d !== null && !d.open) d.showModal();
  }, []);

  useEffect(() => {
    const ac = new AbortController();
    setState({ kind: 'loading' });
    setStarted(false);
    fetchSharePreview(req, ac.signal).then(
      (preview) => setState({ kind: 'ok', preview }),
      (e: unknown) => {
        if (!isAbort(e)) setState({ kind: 'error', error: e instanceof Error ? e : new Error(String(e)) });
      },
    );
    return () => ac.abort();
  }, [req]);

  // the pin held while Download is offered; refused: the notice, and no download of a 409
  const offered = state.kind === 'ok';
  useEffect(() => {
    if (!offered) return;
    return holdPin(
      () => asked.range,
      (e) => setState({ kind: 'error', error: e }),
    );
  }, [offered, asked]);
  // the same range and query, counting the lines stored until now
  const repin = () => setAsked((a) => ({ ...a, range: { ...a.range, asOf: serverNow() } }));

  const addDomain = () => {
    const d = draft.trim().toLowerCase();
    if (d === '') return;
    const problem = domainProblem(d);
    setDraftError(problem);
    if (problem !== null) return;
    if (!domains.includes(d)) setDomains([...domains, d]);
    setDraft('');
  };

  return (
    <dialog ref={ref} className="share-dialog" aria-labelledby={`${ids}-title`} onClose={onClose}>
      <div className="panel share-box">
        <div className="panel-head">
          <h2 id={`${ids}-title`}>Share an anonymized dataset</h2>
          <span className="spacer" />
          <button type="button" className="btn ghost small" aria-label="Close" onClick={() => ref.current?.close()}>
            ✕
          </button>
        </div>
        <div className="panel-body share-body">
          <p className="share-scope">
            The lines of <strong>{when(asked.range.from, 'the beginning')}</strong> to <strong>{when(asked.range.to, 'now')}</strong>{' '}
            {asked.q.trim() === '' ? (
              '(every line)'
            ) : (
              <>
                that match <code className="share-query">{asked.q}</code>
              </>
            )}
            , and the findings last seen in that time with their triage as labels, anonymized by the server with its share key. Nothing leaves until you
            download it.
          </p>
          <ShareFacts />
          <div className="share-domains">
            <label className="field" htmlFor={`${ids}-domain`}>
              The site's own domains (optional): their host names become pseudonyms too
            </label>
            <div className="share-domain-row">
              {domains.map((d) => (
                <span key={d} className="share-chip">
                  {d}
                  <button type="button" className="btn ghost small" aria-label={`Remove ${d}`} onClick={() => setDomains(domains.filter((x) => x !== d))}>
                    ✕
                  </button>
                </span>
              ))}
              <input
                id={`${ids}-domain`}
                className="input mono"
                placeholder="acme.com"
                value={draft}
                aria-invalid={draftError !== null}
                aria-describedby={draftError === null ? undefined : `${ids}-domain-error`}
                onChange={(e) => {
                  setDraft(e.target.value);
                  setDraftError(null);
                }}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    addDomain();
                  }
                }}
              />
              <button type="button" className="btn small" onClick={addDomain}>
                Add
              </button>
            </div>
            {draftError !== null && (
              <div id={`${ids}-domain-error`} className="share-domain-error" role="alert">
                {draftError}
              </div>
            )}
          </div>
          <Preview state={state} onRepin={repin} />
        </div>
        <div className="share-foot">
          <span className="faint share-foot-note" role="status">
            {started
              ? 'Download started: the browser saves the whole export, findings, then lines, the manifest last. A file that does not end with the manifest is not whole.'
              : 'NDJSON: {"finding"} records, then {"line"} records, then one {"manifest"} with the counts and the key fingerprint.'}
          </span>
          <button type="button" className="btn" onClick={() => ref.current?.close()}>
            Cancel
          </button>
          {state.kind === 'ok' ? (
            <a className="btn primary" href={shareDownloadHref(req)} download onClick={() => setStarted(true)}>
              Download
            </a>
          ) : (
            <button type="button" className="btn primary" disabled title={state.kind === 'loading' ? 'after the preview' : 'the preview failed: see why above'}>
              Download
            </button>
          )}
        </div>
      </div>
    </dialog>
  );
}

const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** The server's refusal in words: a missing key says how to set it; a query or range error is the route's. */
function PreviewError({ error, onRepin }: { error: Error; onRepin: () => void }) {
  if (isPinLost(error)) return <PinLapsed error={error} onRepin={onRepin} />;
  if (isApiError(error) && (error.code === 'SHARE_KEY_MISSING' || error.code === 'SHARE_KEY_INVALID')) {
    return (
      <div className="notice warn share-error" role="alert" data-code={error.code}>
        <strong>{error.code === 'SHARE_KEY_MISSING' ? 'This server has no share key, so nothing can be anonymized yet.' : 'The share key file is not a key.'}</strong>{' '}
        {sentence(error.message.replace(/^share: (the server has no share key: )?/, ''))}
      </div>
    );
  }
  return (
    <div className="notice error share-error" role="alert" data-code={isApiError(error) ? error.code : undefined}>
      {error.message}
    </div>
  );
}

/** The search's pin can no longer be exported under: why, and the way on (the same range, pinned at now). */
function PinLapsed({ error, onRepin }: { error: ApiError; onRepin: () => void }) {
  return (
    <div className="notice warn share-error" role="alert" data-code={error.code} title={error.message}>
      <p>
        <strong>This search can no longer be exported as it was shown.</strong> It counts the lines stored by the time it ran, and {pinLostReason(error)}. Sharing it
        again counts the same range and query with the lines stored until now.
      </p>
      <button type="button" className="btn primary" onClick={onRepin}>
        Preview again with the lines stored until now
      </button>
    </div>
  );
}

function Preview({ state, onRepin }: { state: PreviewState; onRepin: () => void }) {
  if (state.kind === 'loading') {
    return (
      <div className="share-preview faint" aria-busy="true">
        <span className="spinner" /> Anonymizing the first {PREVIEW_LINES} lines…
      </div>
    );
  }
  if (state.kind === 'error') return <PreviewError error={state.error} onRepin={onRepin} />;
  const { findings, lines, manifest: m } = state.preview;
  const f = m.labels.findings;
  const partial = m.partial !== undefined;
  const withheld = m.withheld.lines;
  return (
    <section className="share-preview" aria-label="Preview of what the recipient gets">
      <p className="share-counts">
        <strong>{formatInt(findings.length)}</strong> {findings.length === 1 ? 'finding' : 'findings'}
        {findings.length > 0 && ` (${f.malicious} malicious, ${f.benign} benign, ${f.unreviewed} unreviewed)`} ·{' '}
        {partial ? (
          <>
            the first <strong>{formatInt(lines.length)}</strong> lines of more (the download has them all)
          </>
        ) : (
          <>
            <strong>{formatInt(lines.length)}</strong> {lines.length === 1 ? 'line' : 'lines'}, the whole export
          </>
        )}
        {withheld > 0 && ` · ${formatInt(withheld)} withheld${partial ? ' so far' : ''} (a check still found an original in them)`}
        {m.findingLinesLeftOut > 0 && ` · ${formatInt(m.findingLinesLeftOut)} of NML's own finding lines left out`}
        <span className="faint"> · key {m.anonymization.keyFingerprint}</span>
      </p>
      {m.skipped.length > 0 && (
        <div className="notice warn" role="alert">
          {m.skipped.length} damaged or missing {m.skipped.length === 1 ? 'shard was' : 'shards were'} left out: their lines are not in the export.
        </div>
      )}
      {lines.length === 0 ? (
        <p className="faint">{m.note ?? 'No line to share.'}</p>
      ) : (
        <ol className="share-lines" aria-label="Anonymized lines">
          {lines.map((l, i) => (
            <li key={i}>
              <span className="share-time faint">{formatTime(Date.parse(l.time), false)}</span>
              <span className="share-host dim">{l.host ?? '—'}</span>
              <span className="share-line">{l.line}</span>
              {l.labels.map((x) => (
                <span key={x.finding} className={`share-label ${x.label}`} title={`finding ${x.finding}`}>
                  {x.label}
                </span>
              ))}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
