/**
 * The contract every detector passes (run it from the detector's own test file):
 * batches keep input order and length, scores lie in [0, 1] and are deterministic, every score has an
 * explanation, an empty batch is fine, and bad subjects give a score or an Unscorable, never a throw.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isScored, type Detector } from './detector.js';

export interface ContractSamples<Input> {
  /** ordinary subjects */
  good: Input[];
  /** hostile or malformed subjects (empty, huge, invalid bytes…) */
  bad: Input[];
  /** the subject string a result must carry for an input */
  subjectOf(input: Input): string;
}

export function detectorContract<Input>(label: string, make: () => Promise<Detector<Input>>, samples: ContractSamples<Input>): void {
  test(`${label}: detector contract`, async (t) => {
    const d = await make();
    try {
      await t.test('has a name and a model version', () => {
        assert.match(d.name, /^[a-z][a-z0-9-]*$/);
        assert.ok(d.modelVersion.length > 0);
      });
      await t.test('an empty batch gives an empty array', async () => {
        assert.deepEqual(await d.score([]), []);
      });
      await t.test('one result per input, in order, scores in [0,1] with an explanation', async () => {
        const inputs = [...samples.good, ...samples.good.slice().reverse()];
        const out = await d.score(inputs);
        assert.equal(out.length, inputs.length);
        out.forEach((r, i) => {
          assert.equal(r.subject, samples.subjectOf(inputs[i]!));
          assert.ok(isScored(r), `good input ${i} was not scored: ${JSON.stringify(r)}`);
          assert.ok(r.score >= 0 && r.score <= 1 && Number.isFinite(r.score), `score ${r.score} out of [0,1]`);
          assert.ok(r.explanation.summary.length > 0, 'explanation summary is empty');
        });
      });
      await t.test('deterministic: the same input scores the same alone and in a batch', async () => {
        const batch = await d.score(samples.good);
        for (let i = 0; i < samples.good.length; i++) {
          const [alone] = await d.score([samples.good[i]!]);
          const a = alone!;
          const b = batch[i]!;
          assert.ok(isScored(a) && isScored(b));
          assert.ok(Math.abs(a.score - b.score) < 1e-5, `input ${i}: ${a.score} alone vs ${b.score} in batch`);
        }
      });
      await t.test('bad subjects get a score or a clear error, never a throw', async () => {
        const out = await d.score(samples.bad);
        assert.equal(out.length, samples.bad.length);
        for (const r of out) {
          if (isScored(r)) assert.ok(r.score >= 0 && r.score <= 1);
          else assert.ok(r.error.code.length > 0 && r.error.message.length > 0);
        }
      });
    } finally {
      await d.close();
    }
  });
}
