// In: subjects to judge (URLs, SYN packets per host) and trained weights under models/.
// Out: scores in [0, 1] with explanations (Detector), and findings for the findings store.
// Never: imports store, search or serve; needs a GPU or the network; throws on a bad subject.
export type { Detector, Explanation, Scored, Unscorable, ScoreResult, NewFinding, Finding, FindingSource, FindingsSink, FindingStatus, Triage } from './detector.js';
export { isScored, FINDING_STATUSES } from './detector.js';
export { FindingsStore } from './findings/store.js';
export type { Sighting } from './findings/store.js';
export { FINDINGS_PAGE_MAX, FINDINGS_SORTS, isFindingId, parseStatuses } from './findings/query.js';
export type { FindingsQuery, FindingsPage, FindingsSort } from './findings/query.js';
export { TRIAGE_MATCH_MAX, TRIAGE_NOTE_MAX } from './findings/changes.js';
export type { FindingChange, TriageMatch } from './findings/changes.js';
export type { TriageEvent, UnassignCause } from './findings/triage-event.js';
export { findingLogLine, FINDINGS_APP, isFindingLine } from './findings/log-line.js';
export { findingSource, summedSources, synBoardPath, synSourceText } from './findings/syn-where.js';
export { guardedSink, type GuardedSink } from './findings/guarded-sink.js';
export { FindingsNotifier, type WebhookStats, type UnsentMessage } from './findings/notifier.js';
export { NOTIFY_DEFAULTS, type NotifierLog } from './findings/notify-options.js';
export { deliver, deliveryAdvice, type DeliveryResult } from './findings/notify-delivery.js';
export type { QueuedMessage } from './findings/notify-channel.js';
export { OUTBOX_FILE, OUTBOX_MAX_AGE_MS, placeOutbox, placeWebhook, takeOutbox, urlHash, writeOutbox } from './findings/notify-outbox.js';
export { coveredAtStart, earlierMark, isAfter, stillWaiting } from './findings/notify-mark.js';
export type { NotifyMark } from './findings/notify-message.js';
export { OutboxKeeper } from './findings/notify-outbox-keeper.js';
export { webhookName, type WebhookConfig } from './findings/notify-target.js';
export { startFindingsRetention, type FindingsRetention } from './findings/retention.js';
export { UrlDetector, UrlLiveScorer, ScoringSink, blobInner, findingUrl, userinfoDeception, LineUrls, inputUrls, scoreInputs, trainUrlModel, evaluateUrlModels, renderEvalMarkdown, defaultModelDir, OUTSIDE_SOURCES, NGRAM_EPOCHS, DEFAULT_NGRAM_GRAMS, NGRAM_GRAMS, BENIGN_REPEAT, DEFAULT_ADAPT_BELOW, DEFAULT_ADAPT_MAX, DEFAULT_EXTRA_BENIGN, DEFAULT_POPULARITY, EXTRA_BENIGN, POPULARITY_LISTS, makeFolders, urlEvidenceQuery } from './url/index.js';
export type { UrlLiveOptions, UrlLiveStats, TrainUrlOptions, TrainedUrl, UrlModelKind, EvalOptions, UrlEvalReport, EpochInfo, UrlExplanationDetail, NgramGrams, UserinfoDeception, UrlDeception, HomographDeception } from './url/index.js';
export * from './syn/index.js';
