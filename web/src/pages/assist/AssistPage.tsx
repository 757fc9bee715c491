/** Paste or upload an incident report; see the normalized record, similar past incidents with why, the first action, and ask. */
import { useRef, useState, type ChangeEvent } from 'react';
import { request } from '../../lib/api.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { RecordTable } from './RecordTable.tsx';
import { ChatPanel } from './ChatPanel.tsx';
import type { Analysis, SimilarItem, Suggestion } from './types.ts';
import './assist.css';

function bytesToBase64(buf: ArrayBuffer): string {
  let s = '';
  const bytes = new Uint8Array(buf);
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function SuggestionBox({ s }: { s: Suggestion }) {
  return (
    <div className={`notice ${s.source === 'playbook' ? 'warn' : ''}`}>
      <strong>First action</strong>{' '}
      {s.source === 'playbook' ? <span className="dim">(nothing close in the base: {s.playbook?.category} playbook)</span> : <span className="dim">(confidence {s.confidence.toFixed(2)})</span>}
      <p>{s.action}</p>
      {s.countermeasure !== null && <p className="dim">Afterwards: {s.countermeasure}</p>}
      {s.from.length > 0 && <p className="dim">From: {s.from.map((f) => f.title).join('; ')}</p>}
      {s.playbook !== undefined && <p className="faint">Source: {s.playbook.citation}</p>}
    </div>
  );
}

function SimilarList({ items }: { items: SimilarItem[] }) {
  if (items.length === 0) return <EmptyState title="No similar incidents">The incident base is empty or shares nothing with this report; import the corpora with <code>nml assist import</code>.</EmptyState>;
  return (
    <ol className="assist-similar">
      {items.map((r) => (
        <li key={r.id}>
          <div>
            <span className="num">{r.score.toFixed(2)}</span> {r.title} <span className="faint mono">{r.id}</span>
          </div>
          <div className="dim">
            {r.why.matchedFields.length > 0 && <>fields: {r.why.matchedFields.map((m) => `${m.field}=${m.values.join('/')}`).join(', ')}; </>}
            {r.why.sharedTerms.length > 0 && <>words: {r.why.sharedTerms.slice(0, 8).join(' ')}; </>}
            {r.why.vote !== null && (
              <>
                {r.why.vote.of}/{r.why.vote.k} nearest are {r.why.vote.label}
              </>
            )}
          </div>
          {r.firstAction !== null && <div>Then: {r.firstAction}</div>}
        </li>
      ))}
    </ol>
  );
}

export default function AssistPage() {
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [save, setSave] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Analysis | null>(null);

  // only the latest analysis lands; the one before leaves the screen as soon as a new one starts
  const run = useRef(0);
  const analyze = async () => {
    const mine = ++run.current;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const body = file !== null ? { base64: bytesToBase64(await file.arrayBuffer()), save } : { text, save };
      const r = await request<Analysis>('/api/assist/normalize', { method: 'POST', body });
      if (run.current === mine) setResult(r);
    } catch (e) {
      if (run.current === mine) setError(e instanceof Error ? e.message : String(e));
    } finally {
      if (run.current === mine) setBusy(false);
    }
  };

  return (
    <div className="assist-page">
      <section className="panel" aria-labelledby="assist-title">
        <div className="panel-head">
          <h2 id="assist-title">Incident report</h2>
        </div>
        <div className="panel-body">
          <textarea className="input mono assist-input" aria-label="Report text" value={text} onChange={(e) => setText(e.target.value)} placeholder="Paste an alert report, an e-mail thread, VERIS JSON or a description" rows={10} disabled={file !== null} />
          <div className="assist-actions">
            <input type="file" aria-label="Upload a report (.txt, .eml, .mbox, .json)" onChange={(e: ChangeEvent<HTMLInputElement>) => setFile(e.target.files?.[0] ?? null)} />
            <label className="inline-field">
              <input type="checkbox" checked={save} onChange={(e) => setSave(e.target.checked)} /> save to the incident base
            </label>
            <button className="btn primary" type="button" disabled={busy || (file === null && text.trim() === '')} onClick={() => void analyze()}>
              {busy ? 'Analyzing…' : 'Analyze'}
            </button>
          </div>
          {error !== null && <div className="notice error">{error}</div>}
        </div>
      </section>
      {result !== null && (
        <>
          <SuggestionBox s={result.suggestion} />
          <section className="panel" aria-label="Normalized record">
            <div className="panel-head">
              <h2>Normalized record ({result.record.format})</h2>
            </div>
            <RecordTable record={result.record} />
          </section>
          <section className="panel" aria-label="Similar incidents">
            <div className="panel-head">
              <h2>Similar incidents</h2>
            </div>
            <div className="panel-body">
              <SimilarList items={result.similar} />
            </div>
          </section>
          {/* keyed: the conversation, and an answer still out, belong to this analysis only */}
          <ChatPanel key={result.id} incidentId={result.saved ? result.id : null} />
        </>
      )}
    </div>
  );
}
