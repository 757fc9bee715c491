// In: incident reports (alert reports, e-mail threads, VERIS JSON, text), the labelled corpora, log pages to cite.
// Out: normalized incident records with source pointers, similar incidents with why, first actions, chat answers.
// Never: writes the log store, knows HTTP, calls an LLM unless configured, or guesses ranking weights.
export type { IncidentRecord, Field, SourceRef, ScalarField, InputFormat } from './record.js';
export { textAt } from './record.js';
export { SCALAR_FIELDS, recordRows, SIMILAR_SHOWN, SCORE_MEANING } from './record-view.js';
export { normalize, normalizeText, checkText, MAX_INPUT_BYTES } from './normalize.js';
export type { Incident, Attr } from './incident.js';
export { incidentOf, ATTRS } from './incident.js';
export { IncidentBase, type IncidentSummary, type IncidentQuery } from './incident-base.js';
export { seedDemoIncidents, DEMO_REPORTS } from './demo.js';
export { CORPORA, loadCorpus, type CorpusName } from './corpora.js';
export { SimilarityIndex, BM25_ONLY, FEATURES, type RankModel, type SimilarResult, type Why } from './similar.js';
export { Bm25Index, BM25_DEFAULTS, bruteForceSearch, termCounts } from './bm25.js';
export { suggestFirstAction, type Suggestion } from './first-action.js';
export { PLAYBOOK, PLAYBOOK_SOURCE } from './playbook.js';
export { Assistant, notInBase, type AssistantOptions, type Analysis } from './assistant.js';
export type { ChatMessage, ChatAnswer, Intent } from './chat.js';
export type { Citation, LogPages, PivotSource } from './chat-sources.js';
export { CHAT_MESSAGE_MAX, detectIntent } from './chat.js';
export type { LlmConfig } from './llm.js';
export { evaluateCorpus, reportMarkdown, splitBySeed, type CorpusResult } from './evaluate.js';
export { loadRankModel, rankModelText, DEFAULT_MODEL_PATH } from './model-file.js';
export { trainCombined } from './train-combined.js';
