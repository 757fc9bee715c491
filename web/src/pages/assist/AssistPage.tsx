/** Paste or upload an incident report; see the normalized record, similar past incidents with why, the first action, and ask. */
import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { request } from '../../lib/api.ts';
import { formatBytes } from '../../lib/format.ts';
import { RecordTable } from './RecordTable.tsx';
import { SimilarList } from './SimilarList.tsx';
import { IncidentBasePanel } from './IncidentBase.tsx';
import { ChatPanel } from './ChatPanel.tsx';
import { useReadOnly } from '../../app/auth.ts';
import type { Analysis, Suggestion } from './types.ts';
import './assist.css';

/**
 * The server takes at most ASSIST_BODY_LIMIT (8 MiB, src/serve/routes/assist.ts) of request body, and
 * normalizes at most MAX_INPUT_BYTES (8 MiB, src/assist/normalize.ts) of report. The page must send JSON
 * (the session's CSRF guard), so a file that is UTF-8 text, as reports, e-mails and mailboxes mostly
 * are, goes as `{text}`: the same bytes once the server encodes it again, the JSON around them a few
 * bytes more. Only a file that is not UTF-8 goes as `{base64}`, 4 bytes for every 3, so such a file can
 * be three quarters of the limit. The size is checked before the file is read, the exact body after:
 * the server's own refusal speaks of the encoded body's bytes, which the operator never saw.
 */
export const BODY_LIMIT = 8 * 1024 * 1024;
const JSON_OVERHEAD = 64;
export const MAX_FILE_BYTES = BODY_LIMIT;
const MAX_BINARY_FILE_BYTES = Math.floor(((BODY_LIMIT - JSON_OVERHEAD) / 4) * 3);
const PASTE_INSTEAD = 'Paste the part that matters (the alert, the first messages of the thread) instead.';

/** Why this file cannot be sent, or null. */
export function fileTooLarge(f: File): string | null {
  if (f.size <= MAX_FILE_BYTES) return null;
  return `${f.name} is ${formatBytes(f.size)}; the assistant takes files up to ${formatBytes(MAX_FILE_BYTES)}. ${PASTE_INSTEAD}`;
}

function bytesToBase64(buf: ArrayBuffer): string {
  let s = '';
  const bytes = new Uint8Array(buf);
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Bytes of the JSON body that `request` sends. */
const jsonBytes = (body: object): number => new Blob([JSON.stringify(body)]).size;

/** Why this pasted text cannot be sent, or null (JSON escapes can make it longer than it looks). */
function textTooLarge(text: string): string | null {
  const n = jsonBytes({ text, save: true });
  return n <= BODY_LIMIT ? null : `The text is ${formatBytes(n)} once encoded for sending; the assistant takes up to ${formatBytes(BODY_LIMIT)}. Paste the part that matters instead.`;
}

/** The body that sends this file, or why it cannot be sent: as text when it is UTF-8, else base64. */
async function fileBody(f: File, save: boolean): Promise<{ body: object } | { error: string }> {
  const buf = await f.arrayBuffer();
  let text: string | null = null;
  try {
    // the BOM kept: the server gets the file's own bytes back
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    text = null;
  }
  if (text !== null) {
    const body = { text, save };
    const n = jsonBytes(body);
    if (n <= BODY_LIMIT) return { body };
    return { error: `${f.name} is ${formatBytes(n)} once encoded for sending (its quotes, backslashes and line ends escaped); the assistant takes up to ${formatBytes(BODY_LIMIT)}. ${PASTE_INSTEAD}` };
  }
  if (f.size > MAX_BINARY_FILE_BYTES) {
    return { error: `${f.name} is not UTF-8 text, so it is sent base64-encoded, and such a file can be at most ${formatBytes(MAX_BINARY_FILE_BYTES)} (it is ${formatBytes(f.size)}). Save it as UTF-8, or paste the part that matters instead.` };
  }
  return { body: { base64: bytesToBase64(buf), save } };
}

/**
 * The first action, as a suggestion (the server words it in the imperative); what the past incident's
 * responders did is quoted apart, in its own words, so that it never reads as done for this report.
 */
function SuggestionBox({ s }: { s: Suggestion }) {
  const source = s.from[0];
  return (
    <div className={`notice ${s.source === 'playbook' ? 'warn' : ''}`}>
      <strong>Suggested first action</strong>{' '}
      {s.source === 'playbook' ? <span className="dim">(nothing close in the base: {s.playbook?.category} playbook)</span> : <span className="dim">(confidence {s.confidence.toFixed(2)})</span>}
      <p>{s.action}</p>
      {s.countermeasure !== null && <p className="dim">Afterwards: {s.countermeasure}</p>}
      {source !== undefined && (
        <p className="dim">
          What was done then, in “{source.title}”: <q>{source.action}</q>
          {s.from.length > 1 && <> The same was done in {s.from.slice(1).map((f) => `“${f.title}”`).join(', ')}.</>}
        </p>
      )}
      {(s.leftOut ?? []).length > 0 && <p className="dim">Left out of what was done then: {(s.leftOut ?? []).join('; ')}.</p>}
      {/* the list below puts this incident first, often with a recorded response: say why it is not the suggestion */}
      {s.nearest !== undefined && (
        <p className="dim">
          Not drawn from the best match, “{s.nearest.title}” (score {s.nearest.score.toFixed(2)}), because {s.nearest.why}.
        </p>
      )}
      {s.playbook !== undefined && <p className="faint">Source: {s.playbook.citation}</p>}
    </div>
  );
}

/**
 * What a saved analysis put into the incident base, under the title the base gives it (incident.ts
 * `incidentOf`: the summary, else the threat name, else the id), so that a paste saved by mistake is seen.
 */
function SavedNotice({ result }: { result: Analysis }) {
  const f = result.record.fields;
  const title = f.summary?.value.slice(0, 200) ?? f.threatName?.value ?? null;
  return (
    <div className="notice ok" role="status">
      Saved to the incident base as <span className="mono">{result.id}</span>
      {title !== null && title !== '' && <> (“{title}”)</>}: later reports will find it among similar past incidents.
    </div>
  );
}

export default function AssistPage() {
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  // saving is a choice: the base is what "similar past incidents" draws from, and a test paste or half a
  // report saved by default would turn up there for good (UX review); the server does not save either
  // unless asked (`save` absent is false, src/serve/routes/assist.ts)
  const [save, setSave] = useState(false);
  const readOnly = useReadOnly();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Analysis | null>(null);

  // only the latest analysis lands; the one before leaves the screen as soon as a new one starts
  const run = useRef(0);
  // the focus goes to the results' heading once they are there (not while the person is elsewhere)
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const analyzeButton = useRef<HTMLButtonElement>(null);
  const resultSection = useRef<HTMLElement>(null);
  const [focusResult, setFocusResult] = useState(false);
  const analyze = async (saving = save) => {
    const mine = ++run.current;
    setResult(null);
    setError(null);
    setBusy(true);
    // the result leaves at once, with "Save the report and ask" or its heading: the focus waits on Analyze, not on <body>
    const a = document.activeElement;
    if (a === null || a === document.body || (resultSection.current?.contains(a) ?? false)) analyzeButton.current?.focus();
    try {
      // a file too large is refused before it is read
      const sent = file !== null ? (fileTooLarge(file) ?? (await fileBody(file, saving))) : (textTooLarge(text) ?? { body: { text, save: saving } });
      if (typeof sent === 'string' || 'error' in sent) {
        if (run.current === mine) setError(typeof sent === 'string' ? sent : sent.error);
        return;
      }
      const r = await request<Analysis>('/api/assist/normalize', { method: 'POST', body: sent.body });
      if (run.current === mine) {
        setResult(r);
        setFocusResult(true);
      }
    } catch (e) {
      if (run.current === mine) setError(e instanceof Error ? e.message : String(e));
    } finally {
      if (run.current === mine) setBusy(false);
    }
  };
  useEffect(() => {
    if (!focusResult || result === null) return;
    setFocusResult(false);
    // only when the focus is where the analysis was started (or lost): not pulled out of the text being edited
    const a = document.activeElement;
    if (a === null || a === document.body || a === analyzeButton.current) resultHeading.current?.focus();
  }, [focusResult, result]);

  // said as soon as the file is chosen, not after it was read and sent
  const pickFile = (f: File | null) => {
    setFile(f);
    setError(f === null ? null : fileTooLarge(f));
  };
  // the report is analyzed again, saved this time (a new id: the conversation starts over, about the saved one)
  const saveReport = () => {
    setSave(true);
    void analyze(true);
  };

  // said politely once the analysis is done (an error is an alert of its own)
  const announcement = busy
    ? 'Analyzing the report…'
    : result === null
      ? ''
      : `Analysis done: ${result.similar.length} similar incident${result.similar.length === 1 ? '' : 's'}; ${result.saved ? 'saved to the incident base' : 'not saved to the incident base; questions about it are answered until the server restarts'}.`;

  return (
    <div className="assist-page">
      <section className="panel" aria-labelledby="assist-title">
        <div className="panel-head">
          <h2 id="assist-title">Incident report</h2>
        </div>
        <div className="panel-body">
          <textarea className="input mono assist-input" aria-label="Report text" value={text} onChange={(e) => setText(e.target.value)} placeholder="Paste an alert report, an e-mail thread, VERIS JSON, a Suricata EVE event or a description" rows={10} disabled={file !== null} />
          <div className="assist-actions">
            <input type="file" aria-label="Upload a report (.txt, .eml, .mbox, .json)" onChange={(e: ChangeEvent<HTMLInputElement>) => pickFile(e.target.files?.[0] ?? null)} />
            {readOnly ? (
              <span className="faint">your role (viewer) reads only: reports are analyzed, not saved</span>
            ) : (
              <label className="inline-field">
                <input type="checkbox" checked={save} onChange={(e) => setSave(e.target.checked)} /> save to the incident base
              </label>
            )}
            {/* not disabled while busy: a disabled button drops the keyboard focus to <body> */}
            <button ref={analyzeButton} className="btn primary" type="button" disabled={file === null && text.trim() === ''} aria-disabled={busy} onClick={() => void (busy ? undefined : analyze())}>
              {busy ? 'Analyzing…' : 'Analyze'}
            </button>
          </div>
          {error !== null && (
            <div className="notice error" role="alert">
              {error}
            </div>
          )}
          <p className="sr-only" role="status" aria-live="polite">
            {announcement}
          </p>
        </div>
      </section>
      {/* with no report in hand: what the base holds (the latest saved, one opened, a mistake deleted) */}
      {result === null && !busy && <IncidentBasePanel readOnly={readOnly} />}
      {result !== null && (
        <section ref={resultSection} className="assist-result" aria-labelledby="assist-result-title">
          <h2 id="assist-result-title" className="assist-result-title" tabIndex={-1} ref={resultHeading}>
            Analysis
          </h2>
          {result.saved && <SavedNotice result={result} />}
          <SuggestionBox s={result.suggestion} />
          <section className="panel" aria-label="Normalized record">
            <div className="panel-head">
              <h2>Normalized record ({result.record.format})</h2>
            </div>
            {(result.record.warnings ?? []).map((w) => (
              <p key={w} className="notice warn record-warning" role="note">
                {w}
              </p>
            ))}
            <RecordTable record={result.record} />
          </section>
          <section className="panel" aria-label="Similar incidents">
            <div className="panel-head">
              <h2>Similar incidents</h2>
            </div>
            <div className="panel-body">
              <SimilarList items={result.similar} judged={result.suggestion.judged} closeRule={result.suggestion.closeRule} searched={result.searched} />
            </div>
          </section>
          {/* keyed: the conversation, and an answer still out, belong to this analysis only */}
          {result.saved ? <ChatPanel key={result.id} incidentId={result.id} /> : <ChatPanel key={result.id} incidentId={result.id} unsaved={{ busy, onSave: readOnly ? null : saveReport }} />}
        </section>
      )}
    </div>
  );
}
