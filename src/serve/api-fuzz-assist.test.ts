/**
 * The API fuzz (api-fuzz.test.ts) of the assistant's routes, `/api/assist/*`: the real assistant as a node
 * builds it (openAssistant: the shipped ranker, the log searcher and the investigator's pivots), its base in a
 * temporary folder holding two of the assist fixtures. Requests are the shared generators' junk and plausible
 * ones, plus the fixtures' reports as bodies, the stored incidents' ids and chat questions as strings.
 * Seed: FUZZ_SEED; runs per route: FUZZ_RUNS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAssistant } from '../assist-wiring.js';
import { resolveConfig } from '../config.js';
import { fixturesDir } from '../cli/testing.js';
import { buildApp } from './app.js';
import { fakeDeps } from './testing.js';
import { fuzzInvestigator, fuzzRoutes, fuzzSummary, routesOf, type Schema } from './api-fuzz-testing.js';

const SEED = Number(process.env.FUZZ_SEED ?? 198);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const FIX = fixturesDir('assist');

/** What normalize reads from a JSON body; its OpenAPI entry declares no body, since it also takes the file itself. */
const NORMALIZE_BODY: Schema = {
  type: 'object',
  properties: { text: { type: 'string' }, base64: { type: 'string' }, format: { type: 'string', enum: ['alert', 'email', 'json', 'text'] }, save: { type: 'boolean' } },
};
const QUESTIONS = ['what is this?', 'what did we do last time?', 'what should I do first?', 'which hosts talked to 10.0.0.1?', 'which hosts talked to 2001:db8::5?', 'who visited a.example?', 'was any login from it successful?', 'similar incidents', 'この IP と通信したホストは？', '初動は？', 'hi'];
/** Questions whose subject is hard to read: a mapped, scoped, bracketed or impossible address, a network, a defanged or punycode name, 1,200 addresses. */
const ODD_QUESTIONS = ['which hosts talked to ::ffff:10.0.0.1?', 'which hosts talked to fe80::1%eth0?', 'who visited http://[::1]:99999/x?', 'which hosts talked to 999.1.1.1?', 'which hosts talked to 1.2.3.4/33', 'who visited hxxps://evil[.]example?', 'who visited xn--?', `which hosts talked to ${Array.from({ length: 1200 }, (_, i) => `10.0.${i >> 8}.${i & 255}`).join(' ')}`.slice(0, 20_000)];

test('the assistant\'s routes answer junk query strings, path parameters and bodies with a 4xx error of the API shape, never a 5xx', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-fuzz-'));
  const deps = fakeDeps();
  const opened = openAssistant(resolveConfig({ dataDir: dir }), deps.searcher, fuzzInvestigator());
  assert.ok(opened !== null);
  const app = await buildApp({ ...deps, assistant: opened.assistant });
  try {
    const reports = readdirSync(FIX).filter((f) => /\.(txt|eml|mbox|json)$/.test(f)).map((f) => readFileSync(join(FIX, f), 'utf8'));
    const ids: string[] = [];
    for (const f of ['seed-verbatim.txt', 'thread-ja.mbox']) ids.push((await opened.assistant.analyze(readFileSync(join(FIX, f)), { save: true })).incident.id);
    const routes = (await routesOf(app)).filter((r) => r.path.startsWith('/api/assist/')).map((r) => (r.path === '/api/assist/normalize' ? { ...r, body: NORMALIZE_BODY } : r));
    assert.deepEqual(routes.map((r) => `${r.method} ${r.path}`).sort(), ['GET /api/assist/similar', 'POST /api/assist/chat', 'POST /api/assist/normalize']);
    const questions = [...QUESTIONS, ...ODD_QUESTIONS];
    const chats = questions.flatMap((content, i) => [{ messages: [{ role: 'user', content }] }, { incidentId: ids[i % ids.length], messages: [{ role: 'assistant', content: 'x' }, { role: 'user', content }] }]);
    const vocabulary = { texts: [...ids, ...questions, ...reports.map((r) => r.slice(0, 2000))], payloads: [...reports, ...reports.map((text) => JSON.stringify({ text, save: true })), JSON.stringify({ base64: Buffer.from(reports[0]!).toString('base64') }), ...chats.map((c) => JSON.stringify(c))] };
    const result = await fuzzRoutes(app, routes, { seed: SEED, runs: RUNS, vocabulary });
    console.log(fuzzSummary('assist api fuzz', routes.length, SEED, result));
  } finally {
    await app.close();
    opened.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
