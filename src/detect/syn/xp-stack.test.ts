/**
 * Legacy Windows hosts are not malicious for their stack: synthetic benign hosts (browsing, busy
 * clients, P2P) on Windows XP's stack, held out, stay below the shipped model's threshold. Until
 * `syn-2026-11-30` the generator drew XP's stack for worms only, and `syn-2026-11-29j` flagged 11 of
 * these 35 hosts (MODEL_CARD, "Windows XP's stack was the synthetic worms' alone").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT } from '../../cli/testing.js';
import { SynModel } from './model.js';
import { generateSynthetic } from './synth.js';
import { STACKS } from './synth-stacks.js';

test('held-out benign hosts on Windows XP\'s stack are not flagged by the shipped model', () => {
  const model = SynModel.load(join(REPO_ROOT, 'models/syn/model.json'));
  const thr = model.file.threshold;
  const xp = STACKS.windowsXp!;
  const scores: number[] = [];
  for (const seed of [1001, 3001, 4001]) {
    for (const h of generateSynthetic(seed, 8, undefined, 'real', 'shared')) {
      const s = h.syns[0]!;
      if (h.label === 0 && s.win === xp.win && s.ws === -1 && s.opts === xp.opts) scores.push(model.scoreHost([...h.syns].sort((a, b) => a.t - b.t)).score);
    }
  }
  assert.ok(scores.length >= 10, `${scores.length} benign XP hosts`);
  const flagged = scores.filter((x) => x > thr);
  assert.deepEqual(flagged, [], `benign XP hosts above ${thr}: ${flagged.length} of ${scores.length}`);
});
