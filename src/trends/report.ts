/** The evaluation report as markdown: text classifiers, then per period and attack type the model against each naive baseline. */
import type { BinaryMetrics } from './classify/metrics.js';
import type { EvalReport } from './pipeline.js';
import { BASELINES } from './predict/evaluate.js';
import { ATTACK_TYPE_LABELS, type AttackType } from './text/lexicon.js';

/** The seed's accuracies (Baatarsuren & Sekiya 2017) for the types it predicted. */
export const SEED_ACCURACY: Partial<Record<AttackType, number>> = { targeted: 0.624, account_takeover: 0.64, ddos: 0.703, web_attack: 0.591 };

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const auc = (m: BinaryMetrics): string => (m.rocAuc === null ? 'n/a' : m.rocAuc.toFixed(3));

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
      '| attack type | test positives | model accuracy | seed accuracy | model precision / recall | model ROC-AUC | ' + BASELINES.map((b) => `${b} acc / AUC`).join(' | ') + ' | beats every baseline (AUC) |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ' + BASELINES.map(() => '---:').join(' | ') + ' | --- |',
    );
    for (const t of e.types) {
      const seed = SEED_ACCURACY[t.type as AttackType];
      const beats = t.model.rocAuc !== null && BASELINES.every((b) => t.baselines[b].rocAuc === null || t.model.rocAuc! > t.baselines[b].rocAuc!);
      out.push(
        `| ${ATTACK_TYPE_LABELS[t.type as AttackType] ?? t.type} | ${t.positives}/${t.n} | ${pct(t.model.accuracy)} | ${seed === undefined ? '—' : pct(seed)} | ${pct(t.model.precision)} / ${pct(t.model.recall)} | ${auc(t.model)} | ` +
          BASELINES.map((b) => `${pct(t.baselines[b].accuracy)} / ${auc(t.baselines[b])}`).join(' | ') +
          ` | ${beats ? 'yes' : 'no'} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}
