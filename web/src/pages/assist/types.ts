/** The shapes of /api/assist/* as this page reads them (see src/serve/api.ts). */
import type { ApiSkippedShard } from '../../lib/types.ts';
import type { AssistSimilarItem } from '../../../../src/serve/api.ts';

export interface SourceRef {
  part: string;
  start: number;
  end: number;
}
export interface Field {
  value: string;
  from: SourceRef;
}
export interface IncidentRecord {
  format: string;
  parts: Record<string, string>;
  fields: Record<string, Field | undefined>;
  assets: Field[];
  times: Field[];
  steps: Field[];
  extra: Record<string, Field>;
  /** what the reader skipped or could not read (an attachment that is not text, the other events of eve.json lines); absent when nothing */
  warnings?: string[];
}
export interface Why {
  /** shared words, report-template words left out (the words the first action's closeness counts) */
  sharedTerms: string[];
  /** shared report-template words ("source", "port"); absent from older servers */
  templateTerms?: string[];
  matchedFields: { field: string; values: string[] }[];
  vote: { label: string; of: number; k: number } | null;
  contributions: Record<string, number>;
}
/** A similar incident as the server sends it (`AssistSimilarItem`), with the `why` this page reads. */
export interface SimilarItem extends Omit<AssistSimilarItem, 'why'> {
  why: Why;
}
export interface Suggestion {
  action: string;
  countermeasure: string | null;
  confidence: number;
  source: 'similar-incidents' | 'playbook';
  from: { id: string; title: string; action: string; score: number }[];
  playbook?: { category: string; citation: string };
  /** parts of the past response left out because this report does not name what they acted on */
  leftOut?: string[];
  /** what "close" means, thresholds included (first-action.ts CLOSE_RULE) */
  closeRule?: string;
  /** each similar incident: whether the action may be drawn from it, and why not */
  judged?: { id: string; close: boolean; why: string | null }[];
  /** the best-ranked similar incident the action is not drawn from, and why (first-action.ts) */
  nearest?: { id: string; title: string; score: number; why: string };
}
export interface Analysis {
  id: string;
  saved: boolean;
  record: IncidentRecord;
  similar: SimilarItem[];
  suggestion: Suggestion;
  /** how many incidents the base held when searched */
  searched: number;
}
export interface Citation {
  kind: 'incident' | 'log' | 'pivot';
  ref: string;
  snippet: string;
  /** the log search that shows what a log or pivot citation stands on (range in ms) */
  search?: { q: string; from: number; to: number };
}
export interface ChatReply {
  answer: string;
  citations: Citation[];
  intent: string;
  phrased: boolean;
  /** damaged shards the log searches behind the answer left out (the answer is partial); absent from older servers */
  skipped?: ApiSkippedShard[];
}
export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
  citations?: Citation[];
  skipped?: ApiSkippedShard[];
}
/** An incident of the base as GET /api/assist/incidents lists it, and the list's reply */
export type { AssistIncidentSummary as IncidentSummary, AssistIncidentsResponse as IncidentsReply } from '../../../../src/serve/api.ts';
/** GET /api/assist/incidents/:id */
export interface StoredIncident {
  incident: {
    id: string;
    source: string;
    title: string;
    text: string;
    time: string | null;
    labels: string[];
    firstAction: string | null;
    countermeasure: string | null;
    steps: string[];
    outcome: string | null;
    /** a saved report's normalized record; absent for the corpora's incidents */
    record?: IncidentRecord;
  };
  saved: number | null;
}
