/** The assistant: normalizes reports, keeps the incident base, finds similar incidents, suggests and answers. */
import { createHash } from 'node:crypto';
import { AppError } from '../core/index.js';
import { answer, type ChatAnswer, type ChatMessage } from './chat.js';
import type { LogPages, PivotSource } from './chat-sources.js';
import { suggestFirstAction, type Suggestion } from './first-action.js';
import { incidentOf, textAttrs, type Incident } from './incident.js';
import type { IncidentBase, IncidentQuery, IncidentSummary } from './incident-base.js';
import { phrase, rewriteProblem, type LlmConfig } from './llm.js';
import { normalizeText } from './normalize.js';
import { normalizeOffThread } from './normalize-thread.js';
import type { IncidentRecord, InputFormat } from './record.js';
import { BM25_ONLY, SimilarityIndex, type RankModel, type SimilarResult } from './similar.js';
import { SIMILAR_SHOWN } from './record-view.js';

export interface AssistantOptions {
  base: IncidentBase;
  model?: RankModel;
  logs?: LogPages | null;
  /** the investigation stage's pivots (relations between entities), cited before raw log lines */
  pivots?: PivotSource | null;
  llm?: LlmConfig | null;
  now?: () => number;
  fetchImpl?: typeof fetch;
  /** told once per kind (`endpoint`, `rewrite`) why an LLM's phrasing was not used; the URL without credentials */
  warn?: (message: string) => void;
}

export interface Analysis {
  record: IncidentRecord;
  incident: Incident;
  similar: SimilarResult[];
  suggestion: Suggestion;
  /** How many incidents the base held when searched: no similar incident in an empty base is said apart from none in a full one. */
  searched: number;
}

/**
 * How many unsaved analyses `get` (and so chat) still finds by id, and how many characters of report text they may
 * hold together (a report may be 8 MiB); the oldest is forgotten first.
 */
export const RECENT_UNSAVED = 200;
export const RECENT_UNSAVED_CHARS = 32 * 1024 * 1024;

function sizeOf(x: Incident): number {
  return x.text.length + Object.values(x.record?.parts ?? {}).reduce((n, p) => n + p.length, 0);
}

/** ASSIST_INCIDENT_NOT_FOUND for an id the incident base does not hold (showing or removing one). */
export function notInBase(id: string): AppError {
  return new AppError('ASSIST_INCIDENT_NOT_FOUND', 'not_found', `assist: no incident ${id} in the incident base; list what it holds with nml assist list (GET /api/assist/incidents)`, { id });
}

export class Assistant {
  private index: SimilarityIndex | null = null;
  /** the rowid of each incident the index holds, and the base's data version it was last brought up to */
  private readonly indexed = new Map<string, number>();
  private seen = 0;
  /**
   * Analyses not saved to the base, by id, newest last: the id an unsaved analysis returns can be asked about (chat,
   * similar) while the process runs, without the report joining the base that similar-incident search draws from.
   */
  private readonly recent = new Map<string, { incident: Incident; size: number }>();
  private recentChars = 0;
  private readonly model: RankModel;
  /** kinds of phrasing failure already passed to `warn` */
  private readonly warned = new Set<string>();

  constructor(private readonly opts: AssistantOptions) {
    this.model = opts.model ?? BM25_ONLY;
  }

  /**
   * Built on first use from the whole base, one incident read at a time; kept up to date by `save` and `remove`,
   * and brought up to what another process changed (`nml assist import` or `delete` beside a server) before each
   * search. It keeps what ranking reads and loads a result's whole incident from the base by id.
   */
  private similarity(): SimilarityIndex {
    const base = this.opts.base;
    const version = base.dataVersion();
    if (this.index === null) {
      this.seen = version;
      this.indexed.clear();
      const indexed = this.indexed;
      const incidents = function* (): Generator<Incident> {
        for (const r of base.rows()) {
          indexed.set(r.incident.id, r.rowid);
          yield r.incident;
        }
      };
      this.index = new SimilarityIndex(incidents(), this.model, (id) => base.get(id));
    } else if (version !== this.seen) {
      this.seen = version;
      this.catchUp(this.index);
    }
    return this.index;
  }

  /**
   * Takes out of the index what another process removed or replaced, and adds what it saved, in the base's order:
   * the index is then what a fresh build would be. Reads the ids and rowids, and only the documents added.
   */
  private catchUp(index: SimilarityIndex): void {
    const base = this.opts.base;
    const now = base.rowids();
    const gone: string[] = [];
    for (const [id, rowid] of this.indexed) if (now.get(id) !== rowid) gone.push(id);
    index.remove(gone);
    for (const id of gone) this.indexed.delete(id);
    const added = [...now].filter(([id]) => !this.indexed.has(id)).sort((a, b) => a[1] - b[1]);
    for (const [id, rowid] of added) {
      const x = base.get(id);
      if (x === null) continue; // removed since: the next change of version takes it up
      index.add(x);
      this.indexed.set(id, rowid);
    }
  }

  async normalize(data: Buffer | string, format?: InputFormat): Promise<IncidentRecord> {
    return normalizeOffThread(data, format);
  }

  /**
   * Normalizes an input and finds what is similar and what to do first; `save` stores it in the base. `k` is how many
   * similar incidents are returned, nothing more: the first action is drawn from the top SIMILAR_SHOWN whatever it is,
   * so that `nml assist similar --limit 3` and the Assist page suggest the same (until 2026-12 it was drawn from the
   * `k` listed, and a limit of 3 gave the playbook where the page drew an action from the fourth incident).
   */
  async analyze(data: Buffer | string, opts: { format?: InputFormat; save?: boolean; k?: number } = {}): Promise<Analysis> {
    // off the calling thread when large: the server's other requests and listeners go on meanwhile
    const record = await normalizeOffThread(data, opts.format);
    const id = `report:${createHash('sha256').update(data).digest('hex').slice(0, 16)}`;
    const incident = incidentOf(id, record);
    const k = opts.k ?? SIMILAR_SHOWN;
    // one ranking: the top k of a search are the first k of a longer one's
    const found = this.similar(incident, Math.max(k, SIMILAR_SHOWN));
    const suggestion = suggestFirstAction(incident, found.slice(0, SIMILAR_SHOWN));
    const searched = this.opts.base.count();
    if (opts.save === true) this.save([incident]);
    else this.remember(incident);
    return { record, incident, similar: found.slice(0, k), suggestion, searched };
  }

  /**
   * Stores incidents in the base and the index. One saved again is taken out of the index and added anew, as
   * the base saves it anew (last): the index stays what a fresh build of the base would be.
   */
  save(incidents: readonly Incident[]): void {
    const rowids = this.opts.base.put(incidents);
    for (const x of incidents) this.forget(x.id);
    if (this.index === null) return;
    const last = new Map(incidents.map((x, i) => [x.id, { x, rowid: rowids[i] as number }]));
    this.index.remove(last.keys());
    // in rowid order, as a fresh build reads them (the last of an id given twice is the one kept)
    for (const { x, rowid } of [...last.values()].sort((a, b) => a.rowid - b.rowid)) {
      this.index.add(x);
      this.indexed.set(x.id, rowid);
    }
  }

  /** The incidents of the base that match, newest saved first, how many match, and how many the base holds by source. */
  incidents(q: IncidentQuery = {}): { incidents: IncidentSummary[]; total: number; sources: Record<string, number> } {
    return { ...this.opts.base.list(q), sources: this.opts.base.countBySource() };
  }

  /** An incident of the base (not an unsaved analysis) with when it was saved; ASSIST_INCIDENT_NOT_FOUND when the base has none. */
  stored(id: string): { incident: Incident; saved: number | null } {
    const incident = this.opts.base.get(id);
    const summary = incident === null ? null : this.opts.base.summary(id);
    if (incident === null || summary === null) throw notInBase(id);
    return { incident, saved: summary.saved };
  }

  /**
   * Removes an incident from the base and from the similar-incident index; what it was, or null when the base has
   * no such id. The index takes it out in place (its terms, length and label leave BM25 and the votes), so that
   * the next search costs what a search costs; until 2026-12 the index was dropped and the next search built it
   * again from the whole base (0.77 s over the 2,837 corpus incidents).
   */
  remove(id: string): IncidentSummary | null {
    const was = this.opts.base.remove(id);
    if (was !== null) this.unindex([id]);
    return was;
  }

  /** Removes every incident of a source; how many. The index takes them out in place, as `remove` does. */
  removeSource(source: string): number {
    const ids = this.opts.base.idsOf(source);
    const n = this.opts.base.removeSource(source);
    if (n > 0) this.unindex(ids);
    return n;
  }

  private unindex(ids: readonly string[]): void {
    if (this.index === null) return;
    this.index.remove(ids);
    for (const id of ids) this.indexed.delete(id);
  }

  private remember(incident: Incident): void {
    this.forget(incident.id);
    const size = sizeOf(incident);
    this.recent.set(incident.id, { incident, size });
    this.recentChars += size;
    while (this.recent.size > RECENT_UNSAVED || (this.recentChars > RECENT_UNSAVED_CHARS && this.recent.size > 1)) this.forget(this.recent.keys().next().value as string);
  }

  private forget(id: string): void {
    const x = this.recent.get(id);
    if (x === undefined) return;
    this.recent.delete(id);
    this.recentChars -= x.size;
  }

  /** An incident of the base, or an unsaved analysis of this process's last RECENT_UNSAVED. */
  get(id: string): Incident {
    const x = this.opts.base.get(id) ?? this.recent.get(id)?.incident ?? null;
    if (x === null) {
      throw new AppError(
        'ASSIST_INCIDENT_NOT_FOUND',
        'not_found',
        `assist: no incident ${id} in the base or among the recent unsaved analyses; analyse the report again (POST /api/assist/normalize), or save it (save: true, or nml assist import FILE) to keep it`,
        { id },
      );
    }
    return x;
  }

  similar(q: Incident, k = SIMILAR_SHOWN): SimilarResult[] {
    return this.similarity().search(q, k);
  }

  /** A free-text query as an incident (never stored). */
  queryOf(text: string): Incident {
    const rec = normalizeText(text);
    const inc = incidentOf('query', rec, 'query');
    return { ...inc, attrs: { ...textAttrs(text), ...inc.attrs } };
  }

  async chat(incidentId: string | undefined, messages: readonly ChatMessage[]): Promise<ChatAnswer> {
    const incident = incidentId === undefined ? null : this.get(incidentId);
    const similar = incident === null ? [] : this.similar(incident, SIMILAR_SHOWN);
    const suggestion = incident === null ? null : suggestFirstAction(incident, similar);
    const draft = await answer(messages, { incident, similar, suggestion, logs: this.opts.logs ?? null, pivots: this.opts.pivots ?? null, now: (this.opts.now ?? Date.now)() });
    const llm = this.opts.llm;
    if (llm === null || llm === undefined || draft.intent === 'help') return { ...draft, phrased: false };
    const question = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    let text: string;
    try {
      text = await phrase(llm, question, draft.answer, this.opts.fetchImpl);
    } catch (e) {
      return this.unphrased(draft, 'endpoint', (e as Error).message); // the template answer stands; the endpoint's failure is not the operator's problem
    }
    const problem = rewriteProblem(draft.answer, text);
    if (problem !== null) return this.unphrased(draft, 'rewrite', `assist: the llm's rephrasing was not used: ${problem}`);
    return { ...draft, answer: text, phrased: true };
  }
  /** The template answer, with why the LLM's is not it; `warn` hears each kind of failure once. */
  private unphrased(draft: Omit<ChatAnswer, 'phrased'>, kind: 'endpoint' | 'rewrite', reason: string): ChatAnswer {
    if (!this.warned.has(kind)) {
      this.warned.add(kind);
      this.opts.warn?.(reason);
    }
    // the endpoint's address is the server's business (any user reads the answer); the log keeps it
    return { ...draft, phrased: false, unphrased: kind === 'endpoint' ? reason.replace(/\bthe llm endpoint \S+/, 'the llm endpoint (its address is in the server log)') : reason };
  }
}
