// In: configured sources (RSS/Atom feeds, Mastodon and Reddit JSON, web pages, onion pages via SOCKS5), the shared datasets, a RecordSink from core.
// Out: stored and searchable documents (<data>/trends/docs.db and `app:nml-trends` log lines), text classifiers, per-attack-type trend predictions with their drivers.
// Never: imports another stage but core, reaches the web from tests, trains on a GPU, or lets one bad source stall a cycle.
export { TrendsCollector, type SourceStats, type CycleReport } from './collector.js';
export { sourceOutcome, everySourceFailed, type SourceOutcome, type SourceOutcomeKind } from './source-outcome.js';
export { DocStore, type DocQuery, type StoredDoc } from './docstore.js';
export { parseCollectorConfig, readCollectorConfig, SOURCE_KINDS, type CollectorConfig, type SourceConfig } from './sources.js';
export { Fetcher, FETCHER_DEFAULTS, type FetcherOptions } from './fetch/fetcher.js';
export { decodeBody } from './fetch/charset.js';
export { parseFeed } from './parse/feed.js';
export { parseMastodon, parseReddit } from './parse/social.js';
export { parsePage } from './parse/page.js';
export { simhash, hamming, NearDuplicateIndex } from './dedupe.js';
export { docLogLine } from './log-line.js';
export { tokenize, loadJapanese } from './text/tokenize.js';
export { detectLanguage, type Lang } from './text/language.js';
export { extractTextEntities, type TextEntities } from './text/entities.js';
export { topKeywords } from './text/keywords.js';
export { loadCalendarFile, validateCalendar, calendarHits, type CalendarEntry } from './text/calendar.js';
export { DEFAULT_CALENDAR } from './text/calendar-default.js';
export { ATTACK_TYPES, ATTACK_TYPE_LABELS, type AttackType } from './text/lexicon.js';
export { TextClassifier } from './classify/text-classifier.js';
export { attackTypeScorer, type TypeScorer } from './annotate.js';
export { CLASSIFIER_LANGUAGES, MIN_KNOWN_WORDS, MIN_KNOWN_SHARE, unreadReason, type UnreadReason } from './classify/readable.js';
export { loadHackmageddon, loadSocial, loadCasie } from './data/datasets.js';
export { incidentDocs, collectedDoc, collectedDocs, COUNTED_CERTAINTY, TREND_TEXT_CHARS } from './history.js';
export { evaluateAll, trainAll, DEFAULT_SPLIT, type EvalReport } from './pipeline.js';
export { renderMarkdown, SEED_ACCURACY } from './report.js';
export { loadModels, loadAttackTypeModel, loadThreatModel, saveModel, MODEL_FILES, type TrendsModels } from './models.js';
export { buildSeries, type Period, type TimedDoc } from './predict/periods.js';
export { calendarFor } from './predict/trend-model.js';
export { TrendsService, MAX_PERIOD_DOCUMENTS, type TrendsOverview, type PeriodDocuments } from './service.js';
export { seedDemoDocs, demoItems, DEMO_SOURCE } from './demo.js';
export { BASELINES } from './predict/evaluate.js';
