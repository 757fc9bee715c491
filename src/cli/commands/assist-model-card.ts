/** The MODEL_CARD.md written beside the assistant's ranking weights. */
import { FEATURES, type CorpusResult, type RankModel } from '../../assist/index.js';

export function modelCard(model: RankModel, results: readonly CorpusResult[], seed: number): string {
  return [
    '# assist-ranker: weights of the incident assistant\'s hybrid similarity ranking',
    '',
    `- Date: ${new Date().toISOString().slice(0, 10)}`,
    `- Command: \`nml eval assist --save-model --seed ${seed}\` (the same as \`nml assist eval\`)`,
    `- Data: ../shared/datasets/news-cyber-events-casie (1,000 articles, event subtypes) and attack-timeline-hackmageddon (1,832 events, attack_norm); training splits only (70%, seeded hash of the id, seed ${seed}).`,
    `- Method: ${model.trainedOn}. Candidates: top ${model.pool} by BM25 (k1 ${model.bm25.k1}, b ${model.bm25.b}); vote over the ${model.voteK} nearest.`,
    '- Features (all in [0,1]): ' + FEATURES.join(', ') + '.',
    '- Weights: ' + FEATURES.map((f, i) => `${f} ${(model.weights[i] ?? 0).toFixed(3)}`).join(', ') + '.',
    '',
    '## Held-out figures (per-corpus tuning, see docs/assist-eval.md)',
    '',
    '| corpus | BM25 P@5 | hybrid P@5 | BM25 nDCG@10 | hybrid nDCG@10 |',
    '| --- | --- | --- | --- | --- |',
    ...results.map((r) => `| ${r.corpus} | ${(r.bm25.p5 * 100).toFixed(1)} | ${(r.hybrid.p5 * 100).toFixed(1)} | ${(r.bm25.ndcg10 * 100).toFixed(1)} | ${(r.hybrid.ndcg10 * 100).toFixed(1)} |`),
    '',
    'Deterministic: no random initialisation (gradient descent from zero, coordinate ascent over a fixed step grid).',
    '',
  ].join('\n');
}
