/** The incident assistant's shapes, `/api/assist/*` (see api.ts: shapes only, importing only sibling shape files). */
import type { ApiSkippedShard } from './api-search.js';

/** `POST /api/assist/normalize` as JSON (a file can also be sent as the body itself) */
export interface AssistNormalizeBody {
  text?: string;
  /** the bytes of a file (e.g. an mbox in Shift_JIS), base64 */
  base64?: string;
  format?: 'alert' | 'email' | 'json' | 'text';
  save?: boolean;
}

export interface AssistSimilarParams {
  /** a stored incident's id */
  incidentId?: string;
  /** or free text */
  text?: string;
  limit?: number;
}

export interface AssistSimilarItem {
  id: string;
  title: string;
  source: string;
  time: string | null;
  score: number;
  firstAction: string | null;
  /** shared terms, matched fields, label vote, each feature's part of the score */
  why: unknown;
}

export interface AssistSimilarResponse {
  results: AssistSimilarItem[];
}

export interface AssistAnalysisResponse {
  id: string;
  saved: boolean;
  /** the normalized record: fields with `{value, from: {part, start, end}}`, and the decoded parts */
  record: Record<string, unknown>;
  similar: AssistSimilarItem[];
  /** `{action, countermeasure, confidence, source: 'similar-incidents'|'playbook', from, playbook?}` */
  suggestion: Record<string, unknown>;
  /** how many incidents the base held when searched (an empty base, or a full one sharing no word with the report) */
  searched: number;
}

/** `GET /api/assist/incidents` */
export interface AssistIncidentsParams {
  source?: string;
  /** text in the title or summary, any case */
  q?: string;
  /** saved at or after: a time expression (ISO-8601, -7d, epoch ms) */
  since?: string;
  limit?: number;
  offset?: number;
}

export interface AssistIncidentSummary {
  id: string;
  source: string;
  title: string;
  time: string | null;
  /** when saved to the base (ms); null for incidents saved before the base kept it */
  saved: number | null;
}

export interface AssistIncidentsResponse {
  /** newest saved first */
  incidents: AssistIncidentSummary[];
  /** how many match in all */
  total: number;
  /** how many the whole base holds, by source */
  sources: Record<string, number>;
}

/** `GET /api/assist/incidents/:id` */
export interface AssistIncidentResponse {
  /** the stored incident: id, source, title, text, time, labels, attrs, firstAction, countermeasure, steps, outcome, and `record` for a saved report */
  incident: Record<string, unknown>;
  saved: number | null;
}

/** `DELETE /api/assist/incidents/:id` */
export interface AssistIncidentDeletedResponse {
  deleted: AssistIncidentSummary;
}

export interface AssistChatBody {
  incidentId?: string;
  messages: { role: 'user' | 'assistant' | 'system'; content: string }[];
}

export interface AssistChatResponse {
  answer: string;
  /** `search`: a log search (query and range, ms) that shows what a log or pivot citation stands on */
  citations: { kind: 'incident' | 'log' | 'pivot'; ref: string; snippet: string; search?: { q: string; from: number; to: number } }[];
  intent: string;
  /** true when a configured LLM rephrased the template answer */
  phrased: boolean;
  /** with an LLM configured, why its rephrasing is not the answer (the endpoint failed, or the rewrite changed a fact) */
  unphrased?: string;
  /** damaged shards the log searches behind the answer left out: not empty, the answer is partial; empty when none */
  skipped: ApiSkippedShard[];
}
