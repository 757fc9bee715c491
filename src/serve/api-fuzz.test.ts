/**
 * Fuzz of every route's input: bad input gets a clear 4xx error, never a 5xx or a crash. The routes
 * are the app's own OpenAPI document (as openapi.test.ts lists them), with every optional dependency
 * present so that every route exists; each is sent junk query strings, path parameters and bodies
 * with a valid token. Seed: FUZZ_SEED (fast-check prints it, and the shrunk request, on failure). The
 * generators are api-fuzz-testing.ts; the assistant's routes are fuzzed by api-fuzz-assist.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { join } from 'node:path';
import { buildApp } from './app.js';
import { FindingsStore, SynLiveBoard, UrlDetector, generateSyntheticSyns } from '../detect/index.js';
import { tinyModel } from '../detect/syn/testing.js';
import { trainFixtureModel } from '../detect/url/testing.js';
import { DocStore, TrendsService } from '../trends/index.js';
import { syntheticElections, syntheticHistory } from '../trends/testing.js';
import { bucketLayout } from '../search/index.js';
import { fakeDeps } from './testing.js';
import { TailHub, tailParser } from './tail/index.js';
import { tempUserStore } from './users/testing.js';
import { AuditLog } from './users/audit.js';
import { WatchStore } from './watches/index.js';
import { fuzzInvestigator, fuzzRoutes, fuzzSummary, routesOf } from './api-fuzz-testing.js';

const SEED = Number(process.env.FUZZ_SEED ?? 196);
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);

const ADMIN = { username: 'root', password: 'root-password-1' };

/** An app with every optional route: findings, pivots, detectors, trends, histogram, users, the live tail, watches. */
async function fullApp(): Promise<{ app: FastifyInstance; close(): Promise<void> }> {
  const findings = new FindingsStore(':memory:');
  const base = { score: 0.99, threshold: 0.9, modelVersion: 't', time: 1_000, explanation: { summary: 'x', detail: null }, evidence: { query: 'x', from: 0, to: 2_000 } };
  findings.record([{ ...base, detector: 'url', entity: 'url:a.example/x' }, { ...base, detector: 'syn', entity: 'ip:10.0.0.1' }]);
  const board = new SynLiveBoard({ model: tinyModel(), intervalMs: 1e9, idleMs: 1e12 });
  for (const h of generateSyntheticSyns(3, 1).slice(0, 2)) board.add(h.syns.slice(0, 40));
  board.flush();
  const url = UrlDetector.load(trainFixtureModel());
  const investigator = fuzzInvestigator();
  const docs = new DocStore(':memory:');
  const { days, calendar } = syntheticElections(150);
  const trends = new TrendsService({ store: docs, models: { attackType: null, trend: new Map() }, history: syntheticHistory(150, days), calendar, now: () => Date.UTC(2023, 5, 1) });
  const histogram = {
    async histogram(_q: string, range: { from: number; to: number }, buckets: number) {
      const l = bucketLayout(range, buckets);
      return { start: l.start, interval: l.interval, counts: new Array<number>(l.buckets).fill(1), total: l.buckets, shardsSearched: 1, skipped: [], tookMs: 1 };
    },
  };
  const users = tempUserStore();
  await users.store.add('alice', 'alice-password-1', 'analyst');
  await users.store.add(ADMIN.username, ADMIN.password, 'admin');
  const tail = new TailHub({ parse: tailParser(), intervalMs: 1e9 });
  const audit = new AuditLog(join(users.dir, 'users.db'));
  const watchStore = new WatchStore(':memory:');
  watchStore.add({ name: 'failed logins', query: '"failed password"', threshold: 50 }, 'root');
  const watches = { store: watchStore, evaluating: true, wake: () => undefined };
  const app = await buildApp(fakeDeps({ findings, synBoard: board, urlDetector: url, investigator, trends, histogram, users: users.store, tail, audit, watches }));
  return {
    app,
    close: async () => {
      await app.close();
      await url.close();
      findings.close();
      docs.close();
      audit.close();
      watchStore.close();
      users.cleanup();
    },
  };
}

test('every route answers junk query strings, path parameters and bodies with a 4xx error of the API shape, never a 5xx', async () => {
  const { app, close } = await fullApp();
  try {
    const routes = await routesOf(app);
    // an admin's session as well as the token: the token may not manage users (403 before any validation)
    let cookie = '';
    // a logout (or a password change) ends the session that later requests send
    const session = async (): Promise<string> => {
      if (cookie !== '' && (await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode === 200) return cookie;
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: ADMIN });
      const made = login.cookies.find((c) => c.name === 'nml_session');
      assert.ok(made !== undefined, `no session: ${login.statusCode} ${login.body}`);
      cookie = `nml_session=${made.value}`;
      return cookie;
    };
    assert.ok(routes.length >= 30, `only ${routes.length} routes were found: are the optional dependencies given?`);
    const result = await fuzzRoutes(app, routes, { seed: SEED, runs: RUNS, session });
    console.log(fuzzSummary('api fuzz', routes.length, SEED, result));
  } finally {
    await close();
  }
});
