/**
 * Experiment (not part of the product): how long `GET /api/findings/clients` takes for a full Alerts
 * page (50 URL findings) over a relation index of N generator lines (default 1,000,000: ten minutes of
 * a busy site, one hourly relation file). The findings are on the 50 names most asked for (by DNS query
 * or web request) in a sample of the lines.
 *
 *   node --import tsx scripts/experiments/findings-clients.ts [N] [HOURS]
 *
 * HOURS spreads the N lines over that many hours of the generator's clock (default: its busy site's
 * 100,000 lines a minute), so the evidence windows span that many hourly relation files.
 *
 * Results (2026-11-30, the shared 2-core machine):
 * - N = 1,000,000 in one hourly file (165 clients per name in the median): 260 ms the first time,
 *   58–66 ms after, for the 50 findings.
 * - N = 500,000 over 48 hours (136 clients per name in the median), windows over all of them: 48 hourly
 *   files 1,154 ms the first time, 848–870 ms after; once the store has rolled the days up (3 files, one
 *   per calendar day the 48 hours touch), 236 ms, then 86–92 ms. Each
 *   finding costs a lookup per file for its clients and for each client's identity, so a window over a
 *   day not yet rolled up (today's hours before the 2- and 4-hour blocks settle) is the slow case.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGenerator } from '../../src/collect/index.js';
import { Store, STORE_DEFAULTS, RelationIndex } from '../../src/store/index.js';
import { Investigator } from '../../src/investigate/index.js';
import { extractRelations, parseLine } from '../../src/parse/index.js';
import { FindingsStore } from '../../src/detect/index.js';
import { buildApp } from '../../src/serve/app.js';
import { AUTH, fakeDeps } from '../../src/serve/testing.js';

const N = Number(process.argv[2] ?? 1_000_000);
const HOURS = process.argv[3] === undefined ? null : Number(process.argv[3]);
const dir = mkdtempSync(join(tmpdir(), 'who-bench-'));
const WRITER = new URL('../../test/fixtures/investigate/tsx-writer.worker.mjs', import.meta.url);
const store = new Store(dir, { ...STORE_DEFAULTS, lanes: 2 }, WRITER);
const g = createGenerator({ seed: 3, ...(HOURS === null ? {} : { linesPerMinute: N / (HOURS * 60) }) });
const names = new Map<string, number>();
let t0 = Infinity, t1 = 0;
const started = performance.now();
for (let done = 0; done < N; ) {
  const batch = [];
  for (let i = 0; i < 5000 && done < N; i++, done++) {
    const l = g.next();
    batch.push({ line: l.line, receivedAt: l.time, source: 'bench' });
    t0 = Math.min(t0, l.time); t1 = Math.max(t1, l.time);
  }
  for (const r of batch.slice(0, 500)) for (const e of extractRelations(parseLine(r))) if (e.kind === 'query' || e.kind === 'request') names.set(e.to, (names.get(e.to) ?? 0) + 1);
  await store.writer.write(batch);
}
console.log(`ingested ${N} lines in ${((performance.now() - started) / 1000).toFixed(1)} s; ${names.size} names seen (sampled)`);
await store.close();
const relations = new RelationIndex(dir);
const top = [...names.entries()].sort((a, b) => b[1] - a[1]).slice(0, 50).map(([d]) => d);
const findings = new FindingsStore(':memory:');
findings.record(top.map((d) => ({ detector: 'url', entity: `url:${d.slice(7)}/x`, score: 0.99, threshold: 0.9, modelVersion: 'b', time: t1, explanation: { summary: 'x', detail: null }, evidence: { query: 'x', from: t0 - 86_400_000, to: t1 + 86_400_000 } })));
const ids = findings.list({ limit: 100 }).findings.map((f) => f.id).join(',');
const window = { from: t0 - 86_400_000, to: t1 + 86_400_000 };

async function measure(label: string, relations: RelationIndex): Promise<void> {
  const app = await buildApp(fakeDeps({ findings, investigator: new Investigator({ relations }) }));
  for (let r = 0; r < 5; r++) {
    const s = performance.now();
    const res = await app.inject({ method: 'GET', url: `/api/findings/clients?ids=${ids}`, headers: AUTH });
    const body = res.json() as { who: Record<string, { total: number }> };
    const totals = Object.values(body.who).map((w) => w.total);
    console.log(`${label} run ${r + 1}: ${res.statusCode} ${(performance.now() - s).toFixed(1)} ms for ${totals.length} findings; clients per host: max ${Math.max(...totals)}, median ${totals.sort((a, b) => a - b)[totals.length >> 1]}; relation files ${relations.files(window).length}`);
  }
  await app.close();
}

await measure('hourly files', relations);
relations.close();
if (HOURS !== null) {
  // the steady state for days that are over: the store rolls their hourly files up into one per day (and blocks)
  const again = new Store(dir, { ...STORE_DEFAULTS, lanes: 1, relations: { ...STORE_DEFAULTS.relations, rollupCheckMs: 0, rollupSettleMs: 0 } }, WRITER);
  const built = await again.rollUp(Date.now());
  await again.close();
  console.log(`rolled up: ${built.filter((b) => b.result !== undefined).length} roll-ups`);
  const rolled = new RelationIndex(dir);
  await measure('day roll-ups', rolled);
  rolled.close();
}
rmSync(dir, { recursive: true, force: true });
