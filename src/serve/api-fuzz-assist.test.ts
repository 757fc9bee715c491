/**
 * The API fuzz (api-fuzz.test.ts) of the assistant's routes, `/api/assist/*`: the real assistant as a node
 * builds it (openAssistant: the shipped ranker, the log searcher and the investigator's pivots), its base in a
 * temporary folder holding two of the assist fixtures. Requests are the shared generators' junk and plausible
 * ones (bodies of the shapes and media types the OpenAPI document gives), plus the fixtures' reports as
 * bodies, the stored incidents' ids and chat questions as strings; once with the token, once as a viewer's
 * session, which must save nothing. Seed: FUZZ_SEED; runs per route: FUZZ_RUNS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Response as InjectResponse } from 'light-my-request';
import { openAssistant } from '../assist-wiring.js';
import { IncidentBase } from '../assist/index.js';
import { resolveConfig } from '../config.js';
import { fixturesDir } from '../cli/testing.js';
import { buildApp } from './app.js';
import { fakeDeps } from './testing.js';
import { tempUserStore } from './users/testing.js';
import { login } from './web-testing.js';
import { fuzzInvestigator, fuzzRoutes, fuzzSummary, routesOf, type FuzzOptions, type Route } from './api-fuzz-testing.js';

const SEED = Number(process.env.FUZZ_SEED ?? 198);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const FIX = fixturesDir('assist');
const VIEWER = { username: 'vic', password: 'vic-password-1' };

const QUESTIONS = ['what is this?', 'what did we do last time?', 'what should I do first?', 'which hosts talked to 10.0.0.1?', 'which hosts talked to 2001:db8::5?', 'who visited a.example?', 'was any login from it successful?', 'similar incidents', 'この IP と通信したホストは？', '初動は？', 'hi'];
/** Questions whose subject is hard to read: a mapped, scoped, bracketed or impossible address, a network, a defanged or punycode name, 1,200 addresses. */
const ODD_QUESTIONS = ['which hosts talked to ::ffff:10.0.0.1?', 'which hosts talked to fe80::1%eth0?', 'who visited http://[::1]:99999/x?', 'which hosts talked to 999.1.1.1?', 'which hosts talked to 1.2.3.4/33', 'who visited hxxps://evil[.]example?', 'who visited xn--?', `which hosts talked to ${Array.from({ length: 1200 }, (_, i) => `10.0.${i >> 8}.${i & 255}`).join(' ')}`.slice(0, 20_000)];

interface AssistFuzz {
  app: FastifyInstance;
  routes: Route[];
  vocabulary: NonNullable<FuzzOptions['vocabulary']>;
  /** incidents in the base, read by a connection of its own */
  stored(): number;
}

/** The app with the assistant (two fixtures saved) and a viewer, its assist routes as the OpenAPI document gives them, and the fuzz's vocabulary. */
async function withAssistFuzz(run: (f: AssistFuzz) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-fuzz-'));
  const users = tempUserStore();
  await users.store.add(VIEWER.username, VIEWER.password, 'viewer');
  const deps = fakeDeps({ users: users.store });
  const opened = openAssistant(resolveConfig({ dataDir: dir }), deps.searcher, fuzzInvestigator());
  assert.ok(opened !== null);
  const app = await buildApp({ ...deps, assistant: opened.assistant });
  const base = new IncidentBase(join(dir, 'assist', 'incidents.db'));
  try {
    const reports = readdirSync(FIX).filter((f) => /\.(txt|eml|mbox|json)$/.test(f)).map((f) => readFileSync(join(FIX, f), 'utf8'));
    const ids: string[] = [];
    for (const f of ['seed-verbatim.txt', 'thread-ja.mbox']) ids.push((await opened.assistant.analyze(readFileSync(join(FIX, f)), { save: true })).incident.id);
    const routes = (await routesOf(app)).filter((r) => r.path.startsWith('/api/assist/'));
    assert.deepEqual(routes.map((r) => `${r.method} ${r.path}`).sort(), ['DELETE /api/assist/incidents/{id}', 'GET /api/assist/incidents', 'GET /api/assist/incidents/{id}', 'GET /api/assist/similar', 'POST /api/assist/chat', 'POST /api/assist/normalize']);
    // the body's shape comes from the document: a change of the schema is fuzzed as it is
    const normalize = routes.find((r) => r.path === '/api/assist/normalize')!;
    assert.ok(normalize.body?.anyOf !== undefined, 'normalize documents its JSON body');
    assert.deepEqual([...normalize.bodyTypes].sort(), ['application/json', 'application/mbox', 'application/octet-stream', 'message/rfc822', 'text/plain']);
    const questions = [...QUESTIONS, ...ODD_QUESTIONS];
    const chats = questions.flatMap((content, i) => [{ messages: [{ role: 'user', content }] }, { incidentId: ids[i % ids.length], messages: [{ role: 'assistant', content: 'x' }, { role: 'user', content }] }]);
    const vocabulary = { texts: [...ids, ...questions, ...reports.map((r) => r.slice(0, 2000))], payloads: [...reports, ...reports.map((text) => JSON.stringify({ text, save: true })), JSON.stringify({ base64: Buffer.from(reports[0]!).toString('base64') }), ...chats.map((c) => JSON.stringify(c))] };
    await run({ app, routes, vocabulary, stored: () => base.count() });
  } finally {
    await app.close();
    base.close();
    opened.close();
    users.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the assistant\'s routes answer junk query strings, path parameters and bodies with a 4xx error of the API shape, never a 5xx', async () => {
  await withAssistFuzz(async ({ app, routes, vocabulary }) => {
    const result = await fuzzRoutes(app, routes, { seed: SEED, runs: RUNS, vocabulary });
    console.log(fuzzSummary('assist api fuzz', routes.length, SEED, result));
  });
});

test('a viewer\'s session saves nothing, however it asks: every answer is a 2xx that saved nothing or a 4xx refusal of the API shape', async () => {
  await withAssistFuzz(async ({ app, routes, vocabulary, stored }) => {
    const cookie = await login(app, VIEWER);
    let before = stored();
    let refused = 0;
    const check = (label: string, res: InjectResponse): void => {
      // what this request alone wrote, counted first: fast-check then shrinks to the request that wrote
      const after = stored();
      const wrote = after - before;
      before = after;
      if (res.statusCode === 403) {
        assert.equal(res.json().error.code, 'AUTH_FORBIDDEN', `${label}: ${res.body.slice(0, 300)}`);
        refused++;
      } else if (res.statusCode < 300 && /^application\/json/.test(String(res.headers['content-type']))) {
        assert.notEqual(res.json().saved, true, `${label}: a viewer's report was saved`);
      }
      assert.equal(wrote, 0, `${label}: ${res.statusCode}, and the incident base changed`);
    };
    const result = await fuzzRoutes(app, routes, { seed: SEED + 1, runs: RUNS, vocabulary, session: async () => cookie, sessionOnly: true, check });
    console.log(fuzzSummary('assist api fuzz as a viewer', routes.length, SEED + 1, result));
    assert.ok(refused > 0, 'the fuzz never asked to save: nothing was tested');
  });
});
