/** Evaluations of the text classifiers on the shared datasets: attack type (HACKMAGEDDON, time split), threat talk (hacker communication; the shipped model on text it never saw), CASIE event types (time split). */
import { tokenize } from '../text/tokenize.js';
import { ATTACK_TYPES } from '../text/lexicon.js';
import { CASIE_SUBTYPES, type CasieArticle, type Incident, type SocialPost } from '../data/datasets.js';
import { binaryMetrics, type BinaryMetrics } from '../../core/index.js';
import { seededRandom, shuffled } from './sparse.js';
import { TextClassifier, type LabelledTokens } from './text-classifier.js';
import { selectLexicon, type LexiconSelection } from './select-lexicon.js';
import { VALIDATION_SHARE } from '../predict/select.js';
import type { DemoHeadline } from '../demo.js';
import { invalidModel } from './model-check.js';

export interface LabelMetrics extends BinaryMetrics {
  label: string;
}

export interface TextEval {
  task: string;
  split: string;
  train: number;
  test: number;
  labels: LabelMetrics[];
  /** how the model was chosen beyond its defaults, one sentence (the report prints it under the split) */
  selection?: string;
  /** a simpler rule scored on the same test documents, one sentence (printed under the split) */
  baseline?: string;
}

function evaluate(model: TextClassifier, test: LabelledTokens[]): LabelMetrics[] {
  const probs = test.map((d) => model.predict(d.tokens));
  return model.labels.map((label) => ({
    label,
    ...binaryMetrics(
      probs.map((p) => p[label]!),
      test.map((d) => (d.labels.includes(label) ? 1 : 0)),
    ),
  }));
}

/** Which attack type an incident description talks about; trained before `splitAt`, tested after. */
export function trainAttackTypeModel(incidents: Incident[], splitAt: number, seed = 1): { model: TextClassifier; eval: TextEval } {
  const docs = incidents.map((i) => ({ t: i.reported, d: { tokens: tokenize(i.description, 'en'), labels: i.types as string[] } }));
  const train = docs.filter((x) => x.t < splitAt).map((x) => x.d);
  const test = docs.filter((x) => x.t >= splitAt).map((x) => x.d);
  const selection = selectLexicon(train, ATTACK_TYPES, { logreg: { seed } });
  const model = TextClassifier.train(train, [...ATTACK_TYPES], { logreg: { seed }, lexicon: selection.chosen });
  return {
    model,
    eval: { task: 'attack type of incident text (hackmageddon)', split: `time: train < ${new Date(splitAt).toISOString().slice(0, 10)}`, train: train.length, test: test.length, labels: evaluate(model, test), selection: lexiconSentence(selection) },
  };
}

/** The lexicon selection in one sentence: the count chosen and the validation ROC-AUC of each candidate. */
export function lexiconSentence(s: LexiconSelection): string {
  const auc = s.scores.map((c) => `${c.lexicon}: ${c.meanRocAuc === null ? '—' : c.meanRocAuc.toFixed(3)}`).join(', ');
  return `lexicon terms (one per attack type, from its curated phrases) enter with count ${s.chosen}, chosen on the latest ${Math.round(VALIDATION_SHARE * 100)}% of the training documents (mean ROC-AUC by count — ${auc}).`;
}

/** Whether a post talks about vulnerabilities or exploits (a threat signal); a seeded 85/15 split (the posts carry no dates). */
export function trainThreatModel(posts: SocialPost[], seed = 1): { model: TextClassifier; eval: TextEval } {
  const order = shuffled(posts.length, seededRandom(seed));
  const cut = Math.floor(posts.length * 0.85);
  const docs = order.map((i) => ({ tokens: tokenize(posts[i]!.text, 'en'), labels: posts[i]!.threat ? ['threat'] : [] }));
  const model = TextClassifier.train(docs.slice(0, cut), ['threat'], { logreg: { seed } });
  const test = docs.slice(cut);
  const keywords = binaryMetrics(test.map((d) => threatKeywordCount(d.tokens)), test.map((d) => (d.labels.length > 0 ? 1 : 0)), 1);
  const baseline = `the threat-keyword count (threatKeywordCount) on the same test posts: ROC-AUC ${keywords.rocAuc === null ? 'n/a' : keywords.rocAuc.toFixed(3)}, precision ${(keywords.precision * 100).toFixed(1)}% / recall ${(keywords.recall * 100).toFixed(1)}% at 1 keyword or more.`;
  return { model, eval: { task: 'threat talk in posts (social-hacker-communication)', split: `seeded 85/15 (seed ${seed})`, train: cut, test: docs.length - cut, labels: evaluate(model, test), baseline } };
}

/** CASIE event subtypes of news articles; trained on articles before `splitAt`. */
export function trainCasieModel(articles: CasieArticle[], splitAt: number, seed = 1): { model: TextClassifier; eval: TextEval } {
  const docs = articles.map((a) => ({ t: a.date, d: { tokens: tokenize(`${a.title}\n${a.text}`, 'en'), labels: a.subtypes } }));
  const train = docs.filter((x) => x.t < splitAt).map((x) => x.d);
  const test = docs.filter((x) => x.t >= splitAt).map((x) => x.d);
  const model = TextClassifier.train(train, [...CASIE_SUBTYPES], { logreg: { seed } });
  return { model, eval: { task: 'CASIE event types of news articles', split: `time: train < ${new Date(splitAt).toISOString().slice(0, 10)}`, train: train.length, test: test.length, labels: evaluate(model, test) } };
}

/**
 * The keyword baseline for threat talk: tokens naming what the label means (the dataset's README: posts
 * about software vulnerabilities, exploits, proofs of concept), plus CVE ids and zero-days, as the
 * tokenizer leaves them. Written from that definition, not from any of the evaluation sets.
 */
const THREAT_KEYWORD = /^(?:vulnerab|exploit|cve$|cve-\d|zero-day|0day|pocs?$|proof-of-concept)/;

/** How many of `tokens` are threat keywords (the baseline's score; flagged at 1 or more). */
export function threatKeywordCount(tokens: readonly string[]): number {
  let n = 0;
  for (const t of tokens) if (THREAT_KEYWORD.test(t)) n++;
  return n;
}

export interface TransferSet {
  /** which texts, read how: `CASIE news: title + text` */
  set: string;
  /** what makes a text a positive, and a negative, one sentence each */
  positives: string;
  negatives: string;
  /** the model's P(threat), flagged at 0.5 */
  model: BinaryMetrics;
  /** the keyword count, flagged at 1 */
  keywords: BinaryMetrics;
}

export interface ThreatTransferEval {
  task: string;
  /** the model file scored, as given */
  file: string;
  sets: TransferSet[];
}

interface TransferDoc {
  text: string;
  positive: boolean;
}

function transferSet(model: TextClassifier, set: string, positives: string, negatives: string, docs: TransferDoc[]): TransferSet {
  const tokens = docs.map((d) => tokenize(d.text, 'en'));
  const labels = docs.map((d) => (d.positive ? 1 : 0));
  return {
    set,
    positives,
    negatives,
    model: binaryMetrics(tokens.map((t) => model.predict(t)['threat']!), labels),
    keywords: binaryMetrics(tokens.map(threatKeywordCount), labels, 1),
  };
}

/** CASIE's Vulnerability-related event type (its other type, Attack, is Databreach, Phishing and Ransom). */
const CASIE_VULNERABILITY = ['DiscoverVulnerability', 'PatchVulnerability'];
/** HACKMAGEDDON techniques that name no vulnerability; entries of other techniques (Unknown, injection, defacement …) are left out of the negatives, since they may be exploits. */
const NOT_EXPLOIT_TECHNIQUES = new Set(['ddos', 'ransomware', 'malware', 'account takeover']);
/** The demo templates that name a software vulnerability or its exploitation. */
export const THREAT_DEMO_TEMPLATES = ['SQL injection exposes records of {victim}', 'Web shell planted on servers of {victim} via exploited CVE', 'Zero-day vulnerability exploited against {victim}'];

/**
 * The shipped threat model (trained on hacker-forum, market and Twitter posts) scored on text from
 * elsewhere, beside the keyword baseline scored the same way: CASIE news articles (full and titles
 * only), HACKMAGEDDON incident descriptions, and the demo's headlines. No randomness: the same
 * model and data give the same figures.
 */
export function threatTransferEval(model: TextClassifier, file: string, data: { casie: CasieArticle[]; incidents: Incident[]; demo: DemoHeadline[] }): ThreatTransferEval {
  if (!model.labels.includes('threat')) throw invalidModel(file, "it has no label 'threat'");
  const casiePositive = (a: CasieArticle): boolean => a.subtypes.some((t) => CASIE_VULNERABILITY.includes(t));
  const casiePos = 'an article with a Vulnerability-related event (DiscoverVulnerability or PatchVulnerability)';
  const casieNeg = 'an article with Attack events only (Databreach, Phishing, Ransom)';
  const hack: TransferDoc[] = [];
  for (const i of data.incidents) {
    const technique = i.technique.toLowerCase();
    if (technique.includes('vulnerabilit')) hack.push({ text: i.description, positive: true });
    else if (NOT_EXPLOIT_TECHNIQUES.has(technique)) hack.push({ text: i.description, positive: false });
  }
  const missing = THREAT_DEMO_TEMPLATES.filter((t) => !data.demo.some((d) => d.template === t));
  // a renamed template would silently turn the positives into negatives
  if (missing.length > 0) throw new Error(`threat transfer: demo template(s) ${missing.join('; ')} not in src/trends/demo.ts; update THREAT_DEMO_TEMPLATES`);
  return {
    task: 'threat talk, shipped model on text it never saw (transfer)',
    file,
    sets: [
      transferSet(model, 'CASIE news: title + text', casiePos, casieNeg, data.casie.map((a) => ({ text: `${a.title}\n${a.text}`, positive: casiePositive(a) }))),
      transferSet(model, 'CASIE news: title only', casiePos, casieNeg, data.casie.map((a) => ({ text: a.title, positive: casiePositive(a) }))),
      transferSet(model, 'HACKMAGEDDON incident descriptions', "technique names a vulnerability (attack_raw: 'Vulnerability', 'CVE-… Vulnerability' …)", 'technique DDoS, Ransomware, Malware or Account Takeover (Unknown and other techniques left out)', hack),
      transferSet(model, 'demo headlines (every template × 12 victims)', `the ${THREAT_DEMO_TEMPLATES.length} templates that name a vulnerability or its exploitation (SQL injection, exploited CVE, zero-day)`, 'the other templates', data.demo.map((d) => ({ text: d.headline, positive: THREAT_DEMO_TEMPLATES.includes(d.template) }))),
    ],
  };
}
