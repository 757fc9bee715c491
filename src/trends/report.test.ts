/** The evaluation report says what the seed figure is, which interval a verdict rests on, and when the model never predicts a report. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderMarkdown } from './report.js';
import type { EvalReport } from './pipeline.js';
import type { TypeEval } from './predict/evaluate.js';

const m = (accuracy: number, precision: number, recall: number, rocAuc: number, n = 305, positives = 95) => ({ n, positives, accuracy, precision, recall, f1: 0, rocAuc });

// the daily figures of models/trends/MODEL_CARD.md: ransomware ahead of every baseline, the interval to
// last_week above 0, the one to moving_average reaching it; DDoS never predicted
const ransomware: TypeEval = {
  type: 'ransomware',
  n: 305,
  positives: 95,
  model: m(0.649, 0.324, 0.116, 0.626),
  baselines: { last_week: m(0.607, 0, 0, 0.538), moving_average: m(0.662, 0, 0, 0.53), base_rate: m(0.689, 0, 0, 0.5) },
  vs: { last_week: { diff: 0.087, lo: 0.015, hi: 0.154 }, moving_average: { diff: 0.096, lo: -0.01, hi: 0.2 }, base_rate: { diff: 0.126, lo: 0.02, hi: 0.23 } },
};
const ddos: TypeEval = {
  type: 'ddos',
  n: 305,
  positives: 39,
  model: m(1 - 39 / 305, 0, 0, 0.582, 305, 39),
  baselines: { last_week: m(0.787, 0, 0, 0.528), moving_average: m(0.872, 0, 0, 0.475), base_rate: m(0.872, 0, 0, 0.5) },
  vs: { last_week: { diff: 0.054, lo: -0.062, hi: 0.164 }, moving_average: { diff: 0.107, lo: 0.01, hi: 0.2 }, base_rate: { diff: 0.082, lo: 0.01, hi: 0.15 } },
};
const report: EvalReport = {
  createdAt: '2026-12-02T00:00:00.000Z',
  seed: 1,
  text: [],
  threatTransfer: null,
  trends: [{ period: 'day', trainPeriods: 518, testPeriods: 305, split: 'time', types: [ddos, ransomware], selection: { trainRows: 362, validationRows: 156, types: [], perType: {} }, block: 7, points: [] }],
};

test('the report explains the seed figure, shows the interval a verdict rests on, and says when the model never predicts a report', () => {
  const md = renderMarkdown(report);
  const row = (label: string): string => md.split('\n').find((l) => l.startsWith(`| ${label} |`))!;
  assert.match(md, /\| seed paper accuracy \(2017, other data\) \|/);
  assert.match(md, /"seed paper accuracy" is the accuracy Baatarsuren & Sekiya \(2017\) report for the type on their own data/);
  // the verdict names the interval that reaches 0, beside the strongest baseline's
  assert.match(row('Ransomware'), /\| yes, not significant: \+0\.096 \[-0\.010, \+0\.200\] vs moving_average \| \+0\.087 \[\+0\.015, \+0\.154\] vs last_week \|$/);
  assert.match(row('DDoS'), /\| yes, not significant: \+0\.054 \[-0\.062, \+0\.164\] vs last_week \|/);
  // never predicting a report: said in the cell and under the table, not 0.0% / 0.0% beside a base-rate accuracy
  assert.match(row('DDoS'), /\| 87\.2% \| 70\.3% \| never predicts one \|/);
  assert.match(row('Ransomware'), /\| 32\.4% \/ 11\.6% \|/);
  assert.match(md, /"never predicts one": no test day reached probability 0\.5 \(DDoS\), so precision and recall are 0 and the model's accuracy equals the share of days without a report/);
});

test('the threat transfer section gives each set its n, positives and the keyword baseline beside the model', () => {
  const b = (rocAuc: number, precision: number, recall: number) => ({ n: 1000, positives: 419, accuracy: 0, precision, recall, f1: 0, rocAuc });
  const md = renderMarkdown({
    ...report,
    threatTransfer: { task: 'threat talk, shipped model on text it never saw (transfer)', file: 'models/trends/threat.json', sets: [{ set: 'CASIE news: title + text', positives: 'a vulnerability article', negatives: 'an attack article', model: b(0.815, 0.651, 0.745), keywords: b(0.918, 0, 0) }] },
  });
  assert.match(md, /## threat talk, shipped model on text it never saw \(transfer\)\n\nModel: models\/trends\/threat\.json/);
  assert.match(md, /\| CASIE news: title \+ text \| 1000 \| 419 \| 0\.815 \| 0\.918 \| 65\.1% \/ 74\.5% \| no positive flagged \|/);
  assert.match(md, /- CASIE news: title \+ text: positive = a vulnerability article; negative = an attack article\./);
  assert.doesNotMatch(renderMarkdown(report), /transfer/, 'no section without a transfer evaluation');
});
