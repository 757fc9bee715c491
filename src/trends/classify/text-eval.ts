/** Evaluations of the text classifiers on the shared datasets: attack type (HACKMAGEDDON, time split), threat talk (hacker communication), CASIE event types (time split). */
import { tokenize } from '../text/tokenize.js';
import { ATTACK_TYPES } from '../text/lexicon.js';
import { CASIE_SUBTYPES, type CasieArticle, type Incident, type SocialPost } from '../data/datasets.js';
import { binaryMetrics, type BinaryMetrics } from './metrics.js';
import { seededRandom, shuffled } from './sparse.js';
import { TextClassifier, type LabelledTokens } from './text-classifier.js';
import { selectLexicon, type LexiconSelection } from './select-lexicon.js';
import { VALIDATION_SHARE } from '../predict/select.js';

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
  return { model, eval: { task: 'threat talk in posts (social-hacker-communication)', split: `seeded 85/15 (seed ${seed})`, train: cut, test: docs.length - cut, labels: evaluate(model, docs.slice(cut)) } };
}

/** CASIE event subtypes of news articles; trained on articles before `splitAt`. */
export function trainCasieModel(articles: CasieArticle[], splitAt: number, seed = 1): { model: TextClassifier; eval: TextEval } {
  const docs = articles.map((a) => ({ t: a.date, d: { tokens: tokenize(`${a.title}\n${a.text}`, 'en'), labels: a.subtypes } }));
  const train = docs.filter((x) => x.t < splitAt).map((x) => x.d);
  const test = docs.filter((x) => x.t >= splitAt).map((x) => x.d);
  const model = TextClassifier.train(train, [...CASIE_SUBTYPES], { logreg: { seed } });
  return { model, eval: { task: 'CASIE event types of news articles', split: `time: train < ${new Date(splitAt).toISOString().slice(0, 10)}`, train: train.length, test: test.length, labels: evaluate(model, test) } };
}
