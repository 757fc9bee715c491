// In: URLs (strings or raw bytes), or log lines holding them; labelled URL sets under ../shared/datasets, weights under models/url/.
// Out: UrlDetector (scores with explanations), training, evaluation reports, UrlLiveScorer findings.
// Never: needs a GPU or the network; throws on a bad URL while scoring.
export { FEATURE_DIM, denseFeatures, sparseFeatures, stripScheme, SparseScratch } from './features.js';
export { DEFAULT_EXTRA_BENIGN, DEFAULT_POPULARITY, EXTRA_BENIGN, loadUrlRows, POPULARITY_LISTS, URL_SETS, type UrlRow } from './data.js';
export { UrlDetector, defaultModelDir, MAX_URL_CHARS } from './url-detector.js';
export { trainUrlModel, type TrainedUrl, type TrainUrlOptions, type UrlModelKind } from './train.js';
export { evaluateUrlModels, type EvalOptions, type UrlEvalReport } from './eval.js';
export { renderEvalMarkdown } from './eval-report.js';
export type { AdaptEvalResult } from './eval-adapt.js';
export { OUTSIDE_SOURCES } from './outside.js';
export { LineUrls, type LineUrl } from './line-urls.js';
export { UrlLiveScorer } from './live.js';
export { subQuery, urlEvidenceQuery } from './evidence-query.js';
export type { UrlLiveStats } from './live-stats.js';
export type { UrlLiveOptions, LiveUrlModel } from './live-options.js';
export { ScoringSink, SCORING_HIGH_WATER } from './scoring-sink.js';
export { blobInner, findingUrl } from './line-urls.js';
export { userinfoDeception, deceptionOf, type UserinfoDeception, type UrlDeception } from './deception.js';
export { idnHomograph, type HomographDeception } from './homograph.js';
export { inputUrls } from './input-urls.js';
export { makeFolders } from './model-io.js';
export { scoreInputs } from './score-inputs.js';
export type { EpochInfo } from './train-bob.js';
export type { UrlExplanationDetail } from './explain.js';
export { NGRAM_EPOCHS } from './ngram.js';
export { DEFAULT_NGRAM_GRAMS, NGRAM_GRAMS, type NgramGrams } from './ngram-grams.js';
export { BENIGN_REPEAT, DEFAULT_ADAPT_BELOW, DEFAULT_ADAPT_MAX } from './adapt.js';
