/** The evaluation report as markdown: text classifiers, then per period and attack type the model against each naive baseline. */
import type { BinaryMetrics } from './classify/metrics.js';
import type { EvalReport } from './pipeline.js';
import { BASELINES, type TypeEval } from './predict/evaluate.js';
import { ATTACK_TYPE_LABELS, type AttackType } from './text/lexicon.js';

/** The seed's accuracies (Baatarsuren & Sekiya 2017) for the types it predicted. */
export const SEED_ACCURACY: Partial<Record<AttackType, number>> = { targeted: 0.624, account_takeover: 0.64, ddos: 0.703, web_attack: 0.591 };

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const auc = (m: BinaryMetrics): string => (m.rocAuc === null ? 'n/a' : m.rocAuc.toFixed(3));

/** Whether the model beats every baseline, and whether the intervals say so too. */
function verdict(t: TypeEval, beats: boolean): string {
  if (!beats) return 'no';
  return BASELINES.every((b) => t.vs[b] === null || t.vs[b]!.lo > 0) ? 'yes, significant' : 'yes, not significant';
}

/** The difference to the strongest baseline (by AUC) with its interval. */
function closest(t: TypeEval): string {
  let best: (typeof BASELINES)[number] | null = null;
  for (const b of BASELINES) if (t.vs[b] !== null && (best === null || t.vs[b]!.diff < t.vs[best]!.diff)) best = b;
  if (best === null) return 'n/a';
  const d = t.vs[best]!;
  const f = (x: number): string => (x >= 0 ? '+' : '') + x.toFixed(3);
  return `${f(d.diff)} [${f(d.lo)}, ${f(d.hi)}] vs ${best}`;
}

export function renderMarkdown(r: EvalReport): string {
  const out: string[] = [`# nml trends evaluation`, '', `Created ${r.createdAt}, seed ${r.seed}.`, ''];
  for (const t of r.text) {
    out.push(`## ${t.task}`, '', `Split: ${t.split}; ${t.train} training and ${t.test} test documents.`, '');
    out.push('| label | test positives | accuracy | precision | recall | F1 | ROC-AUC |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const l of t.labels) out.push(`| ${l.label} | ${l.positives} | ${pct(l.accuracy)} | ${pct(l.precision)} | ${pct(l.recall)} | ${l.f1.toFixed(3)} | ${auc(l)} |`);
    out.push('');
  }
  for (const e of r.trends) {
    out.push(`## Trend prediction, next ${e.period}`, '', `${e.split}; walk-forward (retrained before each test month on everything earlier). ${e.trainPeriods} training and ${e.testPeriods} test ${e.period}s (months with too few reports are gaps, never targets).`, '');
    out.push(
      '| attack type | test positives | model accuracy | seed accuracy | model precision / recall | model ROC-AUC | ' +
        BASELINES.map((b) => `${b} acc / AUC`).join(' | ') +
        ' | beats every baseline (AUC) | model − best baseline, 95% CI |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ' + BASELINES.map(() => '---:').join(' | ') + ' | --- | --- |',
    );
    for (const t of e.types) {
      const seed = SEED_ACCURACY[t.type as AttackType];
      const beats = t.model.rocAuc !== null && BASELINES.every((b) => t.baselines[b].rocAuc === null || t.model.rocAuc! > t.baselines[b].rocAuc!);
      out.push(
        `| ${ATTACK_TYPE_LABELS[t.type as AttackType] ?? t.type} | ${t.positives}/${t.n} | ${pct(t.model.accuracy)} | ${seed === undefined ? '—' : pct(seed)} | ${pct(t.model.precision)} / ${pct(t.model.recall)} | ${auc(t.model)} | ` +
          BASELINES.map((b) => `${pct(t.baselines[b].accuracy)} / ${auc(t.baselines[b])}`).join(' | ') +
          ` | ${verdict(t, beats)} | ${closest(t)} |`,
      );
    }
    out.push('');
    out.push(
      `"yes" needs the model's AUC above every baseline's; "significant" needs the 95% interval of the difference to each baseline above 0 (paired moving-block bootstrap, blocks of ${e.block} ${e.period}s, 1,000 resamples). ` +
        `Options chosen per type on the last ${e.selection.validationRows} of the ${e.selection.trainRows + e.selection.validationRows} training ${e.period}s (never the test months): ` +
        e.selection.types.map((x) => `${ATTACK_TYPE_LABELS[x.type as AttackType] ?? x.type} L2 ${x.chosen.l2}, text ${x.chosen.textWeight} (validation AUC ${x.validationAuc === null ? 'n/a' : x.validationAuc.toFixed(3)})`).join('; ') +
        '.',
      '',
    );
  }
  return out.join('\n');
}
