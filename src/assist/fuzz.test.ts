/** Fuzzing the readers: any input gives a record or an AppError, never a crash, and every pointer stays inside its part. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { isAppError } from '../core/index.js';
import { normalize } from './normalize.js';
import { splitMbox } from './email.js';
import { applyPanos } from './panos.js';
import { emptyRecord, textAt, type IncidentRecord } from './record.js';
import { normalizeVeris } from './veris.js';
import { fixturesDir } from '../cli/testing.js';

const DIR = fixturesDir('assist');
const SEED = readFileSync(join(DIR, 'seed-verbatim.txt'), 'utf8');
const MBOX = readFileSync(join(DIR, 'thread-ja.mbox'));

function pointersInside(rec: IncidentRecord): void {
  const fields = [...Object.values(rec.fields), ...rec.assets, ...rec.times, ...rec.steps, ...Object.values(rec.extra)];
  for (const f of fields) {
    if (f === undefined) continue;
    const part = rec.parts[f.from.part];
    assert.ok(part !== undefined, `part ${f.from.part}`);
    assert.ok(f.from.start >= 0 && f.from.start <= f.from.end && f.from.end <= part.length, 'offsets inside the part');
    assert.ok(textAt(rec, f.from).length > 0);
  }
}

async function survives(data: string | Buffer, format?: 'alert' | 'email' | 'json' | 'text'): Promise<void> {
  try {
    pointersInside(await normalize(data, format));
  } catch (e) {
    if (!isAppError(e)) throw e;
  }
}

const reportish = fc.array(fc.oneof(fc.constantFrom('Source IP: ', 'Event Summary: ', 'Threat Name:', 'Action:', 'Event Detail:\n', ',THREAT,', ',tcp,', '.....', '"', '\n', '> ', '初動: ', '宛先ポート: ', '10.0.0.1', ' port 22'), fc.string({ maxLength: 12 })), { maxLength: 40 }).map((xs) => xs.join(''));

test('fuzz: report-like text in every reader', async () => {
  await fc.assert(fc.asyncProperty(reportish, fc.constantFrom(undefined, 'alert', 'text', 'email', 'json') as fc.Arbitrary<'alert' | 'text' | 'email' | 'json' | undefined>, async (s, f) => survives(s, f)), { numRuns: 300, seed: 7 });
});

test('fuzz: cut and mutated seed report', async () => {
  await fc.assert(fc.asyncProperty(fc.nat(SEED.length), fc.nat(SEED.length), fc.string({ maxLength: 5 }), async (a, b, ins) => survives(SEED.slice(0, Math.min(a, b)) + ins + SEED.slice(Math.max(a, b)))), { numRuns: 200, seed: 11 });
});

test('fuzz: mutated mbox bytes', async () => {
  await fc.assert(
    fc.asyncProperty(fc.nat(MBOX.length - 1), fc.uint8Array({ minLength: 1, maxLength: 8 }), async (at, bytes) => {
      const b = Buffer.concat([MBOX.subarray(0, at), Buffer.from(bytes), MBOX.subarray(at + bytes.length)]);
      await survives(b, 'email');
      assert.ok(splitMbox(b).length >= 1);
    }),
    { numRuns: 60, seed: 3 },
  );
});

test('fuzz: PAN-OS column splitter on arbitrary CSV-ish lines', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constantFrom('THREAT', 'tcp', 'alert', '"x,y"', '"', '.....', ''), fc.string({ maxLength: 8 })), { maxLength: 50 }), (cells) => {
      const line = cells.join(',');
      const rec = emptyRecord('alert', { panos: line });
      applyPanos(rec, 'panos', line);
      pointersInside(rec);
    }),
    { numRuns: 500, seed: 5 },
  );
});

test('fuzz: VERIS reader on arbitrary JSON objects', () => {
  fc.assert(
    fc.property(fc.record({ action: fc.jsonValue({ maxDepth: 3 }), actor: fc.jsonValue({ maxDepth: 3 }), asset: fc.jsonValue({ maxDepth: 3 }), summary: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 2 })), timeline: fc.jsonValue({ maxDepth: 3 }), impact: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: ['action'] }), (v) => {
      pointersInside(normalizeVeris(v as never));
    }),
    { numRuns: 300, seed: 9 },
  );
});
