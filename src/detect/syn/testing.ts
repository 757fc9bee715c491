/** Test helpers: a tiny model trained in well under a second on a few synthetic hosts. */
import { SynModel } from './model.js';
import { buildSamples, shapeOf } from './samples.js';
import { generateSynthetic } from './synth.js';
import { trainCnn } from './train.js';

let cached: SynModel | null = null;

export function tinyModel(): SynModel {
  if (cached !== null) return cached;
  const hosts = generateSynthetic(7, 1);
  const r = trainCnn(buildSamples('fields+stats', hosts, 3), null, { shape: { ...shapeOf('fields+stats'), h1: 4, h2: 4, dense: 8 }, seed: 7, epochs: 3 });
  cached = new SynModel({ format: 'nml-syn-cnn/1', version: 'syn-test', variant: 'fields+stats', threshold: 0.5, weights: r.weights, trainedAt: '', command: 'tinyModel()', seed: 7 });
  return cached;
}
