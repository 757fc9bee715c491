/** Questions about the incident; every answer lists its citations. */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { request } from '../../lib/api.ts';
import { formatUtc } from '../../lib/format.ts';
import type { ApiSkippedShard } from '../../lib/types.ts';
import { Link } from '../../components/Link.tsx';
import type { ChatMessage, ChatReply, Citation } from './types.ts';

const EXAMPLES = ['what is this?', 'what did we do last time?', 'what should I do first?', 'which other hosts talked to this IP?', 'which hosts were affected?', 'was any login from it successful?'];

/** The Search page's address for a citation's log search. */
export function citationHref(s: NonNullable<Citation['search']>): string {
  return `/search?${new URLSearchParams({ q: s.q, from: new Date(s.from).toISOString(), to: new Date(s.to).toISOString() }).toString()}`;
}

/**
 * A citation: its reference opens the log lines it stands on, in a new tab (navigating here would drop the
 * analysis and the conversation). Until 2026-12 it was text only: "cites" that nothing opened.
 */
function CitationItem({ c }: { c: Citation }) {
  return (
    <li>
      <span className="chip-kind">{c.kind}</span>{' '}
      {c.search === undefined ? (
        <span className="mono">{c.ref}</span>
      ) : (
        <a className="mono" href={citationHref(c.search)} target="_blank" rel="noreferrer" title={`search the logs for ${c.search.q} (opens in a new tab)`}>
          {c.ref}
        </a>
      )}{' '}
      <span className="dim">{c.snippet}</span>
    </li>
  );
}

/**
 * Under an answer whose log searches left damaged or missing shards out (`skipped`): the answer is partial, as a
 * search's total is then a lower bound. Until 2026-12 only the hosts answer said so, in its text (an LLM's
 * rephrasing could drop it), and the logins answer counted hosts without the lost lines in silence.
 */
function SkippedLine({ skipped }: { skipped: ApiSkippedShard[] }) {
  const one = skipped.length === 1;
  return (
    <p className="notice warn assist-skipped" role="note">
      Partial answer: {one ? 'a damaged or missing shard was' : `${skipped.length} damaged or missing shards were`} left out of its log search (
      {skipped.map((s, i) => (
        <span key={s.file}>
          {i > 0 && ', '}
          <code>{s.file}</code>, {formatUtc(s.from)} to {formatUtc(s.to)}
        </span>
      ))}
      ), so lines from {one ? 'its' : 'their'} time are not counted. The store problems on the <Link href="/live">Live page</Link> say what to do.
    </p>
  );
}

/** The chat's panel, around what it holds. */
function ChatSection({ children }: { children: ReactNode }) {
  return (
    <section className="panel assist-chat" aria-labelledby="assist-chat-title">
      <div className="panel-head">
        <h2 id="assist-chat-title">Ask</h2>
      </div>
      <div className="panel-body">{children}</div>
    </section>
  );
}

/**
 * Above the chat when the report was not saved: the server keeps the last unsaved analyses in memory
 * (RECENT_UNSAVED, src/assist/assistant.ts), so questions about this one are answered, but only until the
 * server restarts or newer reports push it out; and it will not turn up as a similar incident later.
 */
function UnsavedNote({ busy, onSave }: { busy: boolean; onSave: (() => void) | null }) {
  return (
    <div className="notice warn assist-unsaved" role="note">
      <p>
        Not saved to the incident base: the assistant answers about this report until the server restarts (it keeps the latest unsaved reports), and it will not be found as a similar incident later.{' '}
        {onSave === null ? 'Your role (viewer) cannot save: ask an analyst to.' : 'Save it to keep it.'}
      </p>
      {onSave !== null && (
        <button type="button" className="btn small" disabled={busy} onClick={onSave}>
          {busy ? 'Saving…' : 'Save the report'}
        </button>
      )}
    </div>
  );
}

/** `unsaved`: the report was analyzed without saving it; `onSave` analyzes it again, saved (null where the role cannot save). */
export function ChatPanel({ incidentId, unsaved }: { incidentId: string; unsaved?: { busy: boolean; onSave: (() => void) | null } }) {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [input, setInput] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // the panel is keyed by the analysis: an answer that comes after it was replaced is dropped
  const gone = useRef(new AbortController());
  useEffect(() => {
    const ac = new AbortController();
    gone.current = ac;
    return () => ac.abort();
  }, []);

  const ask = (question: string) => {
    if (question.trim() === '' || busy) return;
    const next: ChatMessage[] = [...messages, { role: 'user', content: question }];
    setMessages(next);
    setInput('');
    setBusy(true);
    setError(null);
    const signal = gone.current.signal;
    request<ChatReply>('/api/assist/chat', { method: 'POST', body: { incidentId, messages: next.map(({ role, content }) => ({ role, content })) }, signal })
      .then((r) => {
        if (!signal.aborted) setMessages([...next, { role: 'assistant', content: r.answer, citations: r.citations, skipped: r.skipped }]);
      })
      .catch((e: unknown) => {
        if (!signal.aborted) setError(e instanceof Error ? e.message : String(e));
      })
      .finally(() => {
        if (!signal.aborted) setBusy(false);
      });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    ask(input);
  };

  return (
    <ChatSection>
      {unsaved !== undefined && <UnsavedNote busy={unsaved.busy} onSave={unsaved.onSave} />}
      <ol className="assist-messages" aria-live="polite">
        {messages.map((m, i) => (
          <li key={i} className={`assist-msg ${m.role}`}>
            <div>{m.content}</div>
            {m.skipped !== undefined && m.skipped.length > 0 && <SkippedLine skipped={m.skipped} />}
            {m.citations !== undefined && m.citations.length > 0 && (
              <ol className="assist-cites">
                {m.citations.map((c, j) => (
                  <CitationItem key={j} c={c} />
                ))}
              </ol>
            )}
          </li>
        ))}
      </ol>
      {error !== null && (
        <div className="notice error" role="alert">
          {error}
        </div>
      )}
      <div className="btn-group assist-examples">
        {EXAMPLES.map((q) => (
          <button key={q} type="button" className="btn small ghost" onClick={() => ask(q)} disabled={busy}>
            {q}
          </button>
        ))}
      </div>
      <form onSubmit={submit} className="assist-ask">
        <input className="input" aria-label="Question" value={input} onChange={(e) => setInput(e.target.value)} placeholder="Ask about this incident" />
        <button className="btn primary" type="submit" disabled={busy || input.trim() === ''}>
          Ask
        </button>
      </form>
    </ChatSection>
  );
}
