/** The evaluation report as markdown: per split and model, pooled leave-one-source-out, and the errors. */
import type { Metrics } from './metrics.js';
import { renderAdaptation } from './eval-adapt.js';
import { LABEL_NOISE, withoutNoiseKey } from './eval-classes.js';
import { OUTSIDE_SPLIT, type UrlEvalReport } from './eval.js';
import { OUTSIDE_PER_HOST } from './outside.js';

const pct = (v: number | null): string => (v === null ? 'n/a' : `${(v * 100).toFixed(1)}%`);
const f4 = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(4));
const conf = (m: Metrics): string => `TN ${m.confusion[0][0]} FP ${m.confusion[0][1]} FN ${m.confusion[1][0]} TP ${m.confusion[1][1]}`;

function row(name: string, model: string, m: Metrics, extra: string[]): string {
  return `| ${name} | ${model} | ${m.n} | ${pct(m.accuracy)} | ${f4(m.precision)} | ${f4(m.recall)} | ${f4(m.f1)} | ${f4(m.rocAuc)} | ${pct(m.tprAt1pct)} | ${pct(m.tprAt01pct)} | ${conf(m)} | ${extra.join(' | ')} |`;
}

const MODEL_NAMES: Record<string, string> = { bob: 'Bag-of-Bytes', ngram: 'byte n-grams' };

const FOLD_EXTRA = 'train rows, wall s, CPU s, best epoch';

function tableHead(extra: string): string {
  return `| split | model | test rows | accuracy | precision | recall | F1 | ROC-AUC | detection @1% FPR | detection @0.1% FPR | confusion | ${extra} |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |`;
}

/** A fold's row, then BoB on eXpose's test sample and the mean of both where they were measured. */
function foldRows(f: UrlEvalReport['folds'][number]): string[] {
  const out = [row(f.split, f.model, f.metrics, [`${f.trainRows}, ${f.trainSeconds} s, ${f.trainCpuSeconds} s, ${f.bestEpoch}`])];
  if (f.sameTestAsExpose !== undefined) out.push(row(f.split, `${f.model} on eXpose's test sample`, f.sameTestAsExpose, ['same model']));
  if (f.meanOfBoth !== undefined) out.push(row(f.split, 'mean of bob and expose', f.meanOfBoth, ['the two models above']));
  return out;
}

export function renderEvalMarkdown(r: UrlEvalReport): string {
  const out: string[] = [];
  out.push(`# URL detector evaluation (${r.date.slice(0, 10)})`, '');
  out.push(`Command: \`${r.command}\` (seed ${r.seed}). ${r.rows} URLs after stripping the scheme and de-duplicating.`, '');
  out.push('| source | benign | malicious |', '| --- | --- | --- |');
  for (const [s, [b, m]] of Object.entries(r.bySource)) out.push(`| ${s} | ${b} | ${m} |`);
  for (const w of r.dataWarnings ?? []) out.push('', `Warning: ${w.replace(/^url data: /, '')}.`);
  if ((r.skippedSplits ?? []).length > 0) out.push('', `Not run: ${(r.skippedSplits ?? []).map((k) => `${k.split} (${k.why})`).join('; ')}.`);
  if ((r.extraBenign ?? []).length > 0) out.push('', `Training-only rows (in every training fold, never tested on, never held out): ${(r.extraBenign ?? []).join(', ')} (\`--extra-benign\`).`);
  if (r.popularity !== undefined && r.popularity !== 'none') out.push('', `The n-gram model also learns six weights for the host, or a parent domain, being among the 100 / 1,000 / 10,000 most popular domains of the list ${r.popularity} (\`--popularity\`); every extra row also trains once as if its domain were unlisted.`);
  if (r.grams !== undefined) out.push('', r.grams === 'distinct' ? 'The n-gram model reads each distinct gram of the host and of the path once (`--grams distinct`): a repeated gram adds nothing.' : 'The n-gram model reads every occurrence of a gram (`--grams counted`, the reading of the models before 2026-12-03).');
  if (Object.keys(r.pooled).length > 0) {
    out.push('', '## Pooled leave-one-source-out (the headline)', '');
    out.push('Every row of a source is scored by a model trained without that source (and without any host it shares with it); the scores of all held-out sources are pooled. Threshold 0.5 for accuracy, precision, recall and the confusion matrix.', '');
    out.push(tableHead('—'));
    for (const [model, m] of Object.entries(r.pooled)) out.push(row('leave-one-source-out, pooled', model, m, ['']));
  }
  if (r.adaptation !== undefined) out.push('', renderAdaptation(r.adaptation));
  if (r.byClass !== undefined && r.byClass.length > 0) {
    out.push('', '## Held-out sources by class', '');
    const noise = r.byClass.some((c) => r.pooled[withoutNoiseKey(c.model)] !== undefined);
    out.push(`Each malicious class of a held-out source against that source's own benign rows, scored by the model trained without the source.${noise ? ` Label noise, pooled apart in a row of its own above and never dropped from the headline: ${LABEL_NOISE.map((n) => `${n.source} ${n.type} (${n.why})`).join('; ')}.` : ''}`, '');
    out.push('| held-out source | class | model | rows | ROC-AUC against its benign rows | detection @1% of its benign rows | detected at 0.5 |', '| --- | --- | --- | --- | --- | --- | --- |');
    const byClass = [...r.byClass].sort((a, b) => a.source.localeCompare(b.source) || a.type.localeCompare(b.type));
    for (const c of byClass) out.push(`| ${c.source} | ${c.type} | ${c.model} | ${c.rows} | ${f4(c.rocAuc)} | ${pct(c.detectionAt1Fpr)} | ${pct(c.detectedAt05)} |`);
  }
  if (r.bareHosts !== undefined && r.bareHosts.length > 0) {
    out.push('', '## URLs that are only a host (leave-one-source-out)', '');
    out.push(`A firewall's URL log holds only the host for most HTTPS requests (\`amazon.co.uk/\`). Malicious: every held-out row whose path is empty, scored by the fold that never saw its source. Benign: ${r.bareHosts[0]!.benign / Math.max(1, r.bareHosts[0]!.folds)} domains of a random sample of queried domains (benign-domains-opendns, opendns-random-domains.txt) as \`<domain>/\`, none of them a host of any row trained on, scored by every fold and pooled. Both sides are bare hosts, so this is the host's letters alone${r.popularity !== undefined && r.popularity !== 'none' ? ' (and, for the n-grams, a listed parent domain; no benign test domain is itself on the popularity list)' : ''}.${(r.extraBenign ?? []).length > 0 ? ` Training had the extra benign rows ${(r.extraBenign ?? []).join(', ')}; the benign test domains are from the same provider (OpenDNS, 2014) but a different list.` : ''}`, '');
    out.push('| model | malicious bare hosts | benign scores (domains × folds) | ROC-AUC | detection @1% FPR | benign at ≥0.5 | benign 99th percentile |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const b of r.bareHosts) out.push(`| ${b.model} | ${b.malicious} | ${b.benign} | ${f4(b.rocAuc)} | ${pct(b.tprAt1pct)} | ${pct(b.benignAtHalf)} | ${b.benignP99.toFixed(3)} |`);
  }
  const outside = r.folds.filter((f) => f.split === OUTSIDE_SPLIT);
  if (r.outside !== undefined && outside.length > 0) {
    const o = r.outside;
    out.push('', '## Outside the URL sets (never trained on)', '');
    out.push(`Trained on every row of the URL sets; tested on URLs from other datasets in the share: ${o.benign} benign news-article links (${o.benignHosts} hosts; Hackmageddon timeline and CASIE news corpus) against ${o.malicious} malicious full URLs (${o.maliciousHosts} hosts) of the Maltrail static trails (malware and malicious classes, domain host and a path). At most ${OUTSIDE_PER_HOST} URLs per host; no host or URL of the URL sets; one half of the hosts (by a hash of the host and the seed; the other half is what \`--extra-train\` may train on). The benign side is one kind of page (news articles), so read this beside leave-one-source-out, not instead of it.`, '');
    out.push(tableHead(FOLD_EXTRA), ...outside.flatMap(foldRows));
  }
  out.push('', '## Every split', '');
  out.push('Single-class held-out sources (malicious-only sets) have no ROC-AUC or FPR of their own; they count in the pooled figures.', '');
  out.push(tableHead(FOLD_EXTRA), ...r.folds.flatMap(foldRows));
  const ex = (title: string, list: UrlEvalReport['falsePositives']): void => {
    out.push('', `## ${title}`, '', '| score | source | URL (scheme stripped) | explanation |', '| --- | --- | --- | --- |');
    for (const e of list) out.push(`| ${e.score.toFixed(3)} | ${e.source} | \`${e.url.slice(0, 100).replace(/[|`]/g, '?')}\` | ${e.why.replace(/\|/g, '\\|')} |`);
  };
  const by = MODEL_NAMES[r.errorsModel ?? 'bob'] ?? r.errorsModel ?? 'bob';
  ex(`Benign URLs called malicious (${by}, leave-one-source-out, highest scores, one URL per host)`, r.falsePositives);
  ex('Malicious URLs missed (lowest scores, one URL per host)', r.falseNegatives);
  if (r.outside !== undefined) {
    ex(`Outside split: news links called malicious (${by}, highest scores, one URL per host)`, r.outside.falsePositives);
    ex('Outside split: Maltrail URLs missed (lowest scores, one URL per host)', r.outside.falseNegatives);
  }
  return out.join('\n') + '\n';
}
