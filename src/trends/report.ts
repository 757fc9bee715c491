/** The evaluation report as markdown: text classifiers, then per period and attack type the model against each naive baseline. */
import type { BinaryMetrics } from '../core/index.js';
import type { EvalReport } from './pipeline.js';
import type { ThreatTransferEval } from './classify/text-eval.js';
import { BASELINES, type TypeEval } from './predict/evaluate.js';
import { ATTACK_TYPE_LABELS, type AttackType } from './text/lexicon.js';

/** The seed's accuracies (Baatarsuren & Sekiya 2017) for the types it predicted. */
export const SEED_ACCURACY: Partial<Record<AttackType, number>> = { targeted: 0.624, account_takeover: 0.64, ddos: 0.703, web_attack: 0.591 };

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const auc = (m: BinaryMetrics): string => (m.rocAuc === null ? 'n/a' : m.rocAuc.toFixed(3));

const signed = (x: number): string => (x >= 0 ? '+' : '') + x.toFixed(3);
const interval = (d: { diff: number; lo: number; hi: number }, b: string): string => `${signed(d.diff)} [${signed(d.lo)}, ${signed(d.hi)}] vs ${b}`;

/**
 * Whether the model beats every baseline, and whether the intervals say so too. "not significant" names
 * the intervals it rests on (those that reach 0): it came from a baseline the table did not show, next to
 * an interval above 0 (daily ransomware: +0.087 [+0.015, +0.154] vs last_week, "not significant").
 */
function verdict(t: TypeEval, beats: boolean): string {
  if (!beats) return 'no';
  const reaching = BASELINES.filter((b) => t.vs[b] !== null && t.vs[b]!.lo <= 0);
  return reaching.length === 0 ? 'yes, significant' : `yes, not significant: ${reaching.map((b) => interval(t.vs[b]!, b)).join('; ')}`;
}

/** The difference to the strongest baseline (by AUC) with its interval. */
function closest(t: TypeEval): string {
  let best: (typeof BASELINES)[number] | null = null;
  for (const b of BASELINES) if (t.vs[b] !== null && (best === null || t.vs[b]!.diff < t.vs[best]!.diff)) best = b;
  return best === null ? 'n/a' : interval(t.vs[best]!, best);
}

/** True when the model never predicted a report (precision and recall 0) and its accuracy is the share of periods without one. */
export function neverPredicts(t: Pick<TypeEval, 'n' | 'positives' | 'model'>): boolean {
  return t.model.precision === 0 && t.model.recall === 0 && t.n > 0 && Math.abs(t.model.accuracy - (1 - t.positives / t.n)) < 1e-9;
}

const flagged = (m: BinaryMetrics): string => (m.precision === 0 && m.recall === 0 ? 'no positive flagged' : `${pct(m.precision)} / ${pct(m.recall)}`);

/** The shipped threat model on other sources, each set with its n and the keyword baseline beside it. */
function transferSection(t: ThreatTransferEval): string[] {
  const out = [`## ${t.task}`, '', `Model: ${t.file}, trained on all labelled social-hacker-communication posts; none of these texts were among them. Baseline: the count of threat keywords (vulnerab…, exploit…, CVE, zero-day, 0day, PoC, proof-of-concept) in the same tokens.`, ''];
  out.push('| set | n | positives | model ROC-AUC | keyword ROC-AUC | model precision / recall (P ≥ 0.5) | keyword precision / recall (≥ 1 keyword) |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const s of t.sets) out.push(`| ${s.set} | ${s.model.n} | ${s.model.positives} | ${auc(s.model)} | ${auc(s.keywords)} | ${flagged(s.model)} | ${flagged(s.keywords)} |`);
  out.push('');
  for (const s of t.sets) out.push(`- ${s.set}: positive = ${s.positives}; negative = ${s.negatives}.`);
  out.push('');
  return out;
}

export function renderMarkdown(r: EvalReport): string {
  const out: string[] = [`# nml trends evaluation`, '', `Created ${r.createdAt}, seed ${r.seed}.`, ''];
  for (const t of r.text) {
    out.push(`## ${t.task}`, '', `Split: ${t.split}; ${t.train} training and ${t.test} test documents.`, '');
    if (t.selection !== undefined) out.push(`Selection: ${t.selection}`, '');
    if (t.baseline !== undefined) out.push(`Baseline: ${t.baseline}`, '');
    out.push('| label | test positives | accuracy | precision | recall | F1 | ROC-AUC |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const l of t.labels) out.push(`| ${l.label} | ${l.positives} | ${pct(l.accuracy)} | ${pct(l.precision)} | ${pct(l.recall)} | ${l.f1.toFixed(3)} | ${auc(l)} |`);
    out.push('');
  }
  if (r.threatTransfer !== null) out.push(...transferSection(r.threatTransfer));
  for (const e of r.trends) {
    out.push(`## Trend prediction, next ${e.period}`, '', `${e.split}; walk-forward (retrained before each test month on everything earlier). ${e.trainPeriods} training and ${e.testPeriods} test ${e.period}s (months with too few reports are gaps, never targets).`, '');
    out.push(
      '| attack type | test positives | model accuracy | seed paper accuracy (2017, other data) | model precision / recall | model ROC-AUC | ' +
        BASELINES.map((b) => `${b} acc / AUC`).join(' | ') +
        ' | beats every baseline (AUC) | model − best baseline, 95% CI |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ' + BASELINES.map(() => '---:').join(' | ') + ' | --- | --- |',
    );
    for (const t of e.types) {
      const seed = SEED_ACCURACY[t.type as AttackType];
      const beats = t.model.rocAuc !== null && BASELINES.every((b) => t.baselines[b].rocAuc === null || t.model.rocAuc! > t.baselines[b].rocAuc!);
      out.push(
        `| ${ATTACK_TYPE_LABELS[t.type as AttackType] ?? t.type} | ${t.positives}/${t.n} | ${pct(t.model.accuracy)} | ${seed === undefined ? '—' : pct(seed)} | ${neverPredicts(t) ? 'never predicts one' : `${pct(t.model.precision)} / ${pct(t.model.recall)}`} | ${auc(t.model)} | ` +
          BASELINES.map((b) => `${pct(t.baselines[b].accuracy)} / ${auc(t.baselines[b])}`).join(' | ') +
          ` | ${verdict(t, beats)} | ${closest(t)} |`,
      );
    }
    out.push('');
    const never = e.types.filter(neverPredicts).map((t) => ATTACK_TYPE_LABELS[t.type as AttackType] ?? t.type);
    out.push(
      `"seed paper accuracy" is the accuracy Baatarsuren & Sekiya (2017) report for the type on their own data (other years, other sources, another split): a reference, not a baseline measured on these test ${e.period}s; — where the paper has no such type. ` +
        (never.length > 0
          ? `"never predicts one": no test ${e.period} reached probability 0.5 (${never.join(', ')}), so precision and recall are 0 and the model's accuracy equals the share of ${e.period}s without a report (base_rate's): it says nothing about skill; ROC-AUC does. `
          : '') +
        `"yes" needs the model's AUC above every baseline's; "significant" needs the 95% interval of the difference to each baseline above 0 (paired moving-block bootstrap, blocks of ${e.block} ${e.period}s, 1,000 resamples); "not significant" lists the intervals that reach 0, which may be to a baseline other than the strongest one shown in the last column. ` +
        `Options chosen per type on the last ${e.selection.validationRows} of the ${e.selection.trainRows + e.selection.validationRows} training ${e.period}s (never the test months): ` +
        e.selection.types.map((x) => `${ATTACK_TYPE_LABELS[x.type as AttackType] ?? x.type} L2 ${x.chosen.l2}, text ${x.chosen.textWeight} (validation AUC ${x.validationAuc === null ? 'n/a' : x.validationAuc.toFixed(3)})`).join('; ') +
        '.',
      '',
    );
  }
  return out.join('\n');
}
