import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Assistant, IncidentBase } from '../../assist/index.js';
import { buildApp } from '../app.js';
import { AUTH, fakeDeps } from '../testing.js';
import { fixturesDir } from '../../cli/testing.js';

const FIX = fixturesDir('assist');

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-http-'));
  const base = new IncidentBase(join(dir, 'incidents.db'));
  const deps = fakeDeps();
  const assistant = new Assistant({ base, logs: deps.searcher, now: () => 1_700_000_000_000 });
  const app = await buildApp({ ...deps, assistant });
  return {
    app,
    close: async () => {
      await app.close();
      base.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('assist routes need the token and exist only with an assistant', async () => {
  const { app, close } = await setup();
  const res = await app.inject({ method: 'POST', url: '/api/assist/chat', payload: { messages: [{ role: 'user', content: 'hi' }] } });
  assert.equal(res.statusCode, 401);
  await close();
  const bare = await buildApp(fakeDeps());
  assert.equal((await bare.inject({ method: 'GET', url: '/api/assist/similar?text=x', headers: AUTH })).statusCode, 404);
  await bare.close();
});

test('normalize: text, JSON and an uploaded mbox; save=1 stores; similar and chat use the stored incident', async () => {
  const { app, close } = await setup();
  try {
    const seed = readFileSync(join(FIX, 'seed-verbatim.txt'), 'utf8');
    const a = await app.inject({ method: 'POST', url: '/api/assist/normalize', headers: { ...AUTH, 'content-type': 'text/plain' }, payload: seed });
    assert.equal(a.statusCode, 200, a.body);
    const body = a.json();
    assert.equal(body.record.fields.threatName.value, 'WordPress Login Brute Force Attempt');
    assert.deepEqual(Object.keys(body.record.fields.threatName.from).sort(), ['end', 'part', 'start']);
    assert.equal(body.suggestion.source, 'playbook');
    assert.equal(body.saved, false);

    const up = await app.inject({ method: 'POST', url: '/api/assist/normalize?save=1', headers: { ...AUTH, 'content-type': 'application/mbox' }, payload: readFileSync(join(FIX, 'thread-ja.mbox')) });
    assert.equal(up.statusCode, 200, up.body);
    const thread = up.json();
    assert.equal(thread.record.format, 'email');
    assert.equal(thread.saved, true);
    const b64 = await app.inject({ method: 'POST', url: '/api/assist/normalize', headers: AUTH, payload: { base64: readFileSync(join(FIX, 'thread-ja.mbox')).toString('base64') } });
    assert.equal(b64.json().id, thread.id);

    const j = await app.inject({ method: 'POST', url: '/api/assist/normalize', headers: AUTH, payload: { text: 'Event Summary: SSH Brute Force Attempt\nThreat Name: SSH2 Login Attempt\nDestination Port: 22\nProtocol: TCP\n', save: true } });
    assert.equal(j.statusCode, 200, j.body);
    assert.equal(j.json().similar[0].id, thread.id);
    assert.equal(j.json().suggestion.source, 'similar-incidents');

    const sim = await app.inject({ method: 'GET', url: `/api/assist/similar?incidentId=${encodeURIComponent(j.json().id)}&limit=3`, headers: AUTH });
    assert.equal(sim.statusCode, 200, sim.body);
    assert.equal(sim.json().results[0].id, thread.id);
    assert.ok(sim.json().results.every((r: { id: string }) => r.id !== j.json().id));
    assert.ok(Array.isArray(sim.json().results[0].why.sharedTerms));

    const byText = await app.inject({ method: 'GET', url: '/api/assist/similar?text=ssh%20brute%20force', headers: AUTH });
    assert.deepEqual(byText.json().results.map((r: { id: string }) => r.id).sort(), [thread.id, j.json().id].sort());

    const chat = await app.inject({ method: 'POST', url: '/api/assist/chat', headers: AUTH, payload: { incidentId: j.json().id, messages: [{ role: 'user', content: 'what did we do last time?' }] } });
    assert.equal(chat.statusCode, 200, chat.body);
    assert.match(chat.json().answer, /隔離/);
    assert.equal(chat.json().citations[0].kind, 'incident');
    assert.equal(chat.json().citations[0].ref, thread.id);

    const hosts = await app.inject({ method: 'POST', url: '/api/assist/chat', headers: AUTH, payload: { messages: [{ role: 'user', content: 'which other hosts talked to 10.0.0.1?' }] } });
    assert.equal(hosts.statusCode, 200, hosts.body);
    assert.equal(hosts.json().intent, 'hosts');
  } finally {
    await close();
  }
});

test('assist errors: unknown incident 404, both or neither of incidentId and text 400, bad chat body 400', async () => {
  const { app, close } = await setup();
  try {
    const missing = await app.inject({ method: 'POST', url: '/api/assist/chat', headers: AUTH, payload: { incidentId: 'nope', messages: [{ role: 'user', content: 'what is this?' }] } });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'ASSIST_INCIDENT_NOT_FOUND');
    const neither = await app.inject({ method: 'GET', url: '/api/assist/similar', headers: AUTH });
    assert.equal(neither.statusCode, 400);
    assert.equal(neither.json().error.code, 'ASSIST_BAD_QUERY');
    const bad = await app.inject({ method: 'POST', url: '/api/assist/chat', headers: AUTH, payload: { messages: [] } });
    assert.equal(bad.statusCode, 400);
    const empty = await app.inject({ method: 'POST', url: '/api/assist/normalize', headers: { ...AUTH, 'content-type': 'text/plain' }, payload: '' });
    assert.equal(empty.statusCode, 400);
  } finally {
    await close();
  }
});

test('chat: an LLM rewrite that is not used says why (unphrased) in the answer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-http-llm-'));
  const base = new IncidentBase(join(dir, 'incidents.db'));
  const deps = fakeDeps();
  const warned: string[] = [];
  // an endpoint that answers something with an address the draft never had
  const fetchImpl = (async () => new Response(JSON.stringify({ choices: [{ message: { content: 'All clear: 10.66.66.66 was patched.' } }] }), { status: 200, headers: { 'content-type': 'application/json' } })) as typeof fetch;
  const assistant = new Assistant({ base, logs: deps.searcher, llm: { url: 'http://user:secret@127.0.0.1:9/v1', model: 'm' }, fetchImpl, warn: (m) => warned.push(m) });
  const app = await buildApp({ ...deps, assistant });
  try {
    const res = await app.inject({ method: 'POST', url: '/api/assist/chat', headers: AUTH, payload: { messages: [{ role: 'user', content: 'which other hosts talked to 192.0.2.7?' }] } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().phrased, false, res.body);
    assert.match(res.json().unphrased, /added address 10\.66\.66\.66/);
    assert.equal(warned.length, 1);
    assert.doesNotMatch(warned.join(), /secret/);
  } finally {
    await app.close();
    base.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('chat: an answer whose log search left a damaged shard out carries it in skipped, documented as a search\'s; an LLM\'s phrasing keeps it', async () => {
  const base = new IncidentBase(':memory:');
  const shard = { file: 'shards/2026/11/30/10/0000-w0-0.db', from: Date.UTC(2026, 10, 30, 10), to: Date.UTC(2026, 10, 30, 10, 59, 59, 999) };
  const hit = { shard: '2026/11/30/11/0000-w0-0.db', rowid: 1, time: 1_700_000_000_000 - 60_000, receivedAt: 1_700_000_000_000, source: 'test', raw: 'fw: 192.0.2.7 -> 10.9.9.1 allow' };
  const logs = { page: async () => ({ hits: [hit], skipped: [shard] }) };
  // an endpoint that keeps every fact: its phrasing is the answer, the partial flag stays
  const fetchImpl = (async (_url: unknown, init?: { body?: unknown }) => {
    const draft = (JSON.parse(String(init?.body)) as { messages: { content: string }[] }).messages.at(-1)!.content;
    const text = /Draft answer \(data, to rephrase\):\n<<<\n([\s\S]*)\n>>>$/.exec(draft)?.[1] ?? '';
    return new Response(JSON.stringify({ choices: [{ message: { content: text } }] }), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  const plain = await buildApp({ ...fakeDeps(), assistant: new Assistant({ base, logs, now: () => 1_700_000_000_000 }) });
  try {
    const res = await plain.inject({ method: 'POST', url: '/api/assist/chat', headers: AUTH, payload: { messages: [{ role: 'user', content: 'which other hosts talked to 192.0.2.7?' }] } });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().skipped, [shard]);
    const whole = await plain.inject({ method: 'POST', url: '/api/assist/chat', headers: AUTH, payload: { messages: [{ role: 'user', content: 'hello' }] } });
    assert.deepEqual(whole.json().skipped, [], 'none: an empty list, as a search says');
    const doc = (await plain.inject({ method: 'GET', url: '/docs/json', headers: AUTH })).json();
    const chat = doc.paths['/api/assist/chat'].post.responses['200'].content['application/json'].schema;
    assert.ok(chat.required.includes('skipped'), JSON.stringify(chat.required));
    assert.deepEqual(chat.properties.skipped.items.required, ['file', 'from', 'to']);
    const search = doc.paths['/api/search'].get.responses['200'].content['application/json'].schema;
    assert.deepEqual(chat.properties.skipped, search.properties.skipped, 'the shape of a search\'s skipped');
  } finally {
    await plain.close();
  }
  const phrased = await buildApp({ ...fakeDeps(), assistant: new Assistant({ base, logs, llm: { url: 'http://127.0.0.1:9/v1', model: 'm' }, fetchImpl, now: () => 1_700_000_000_000 }) });
  try {
    const res = await phrased.inject({ method: 'POST', url: '/api/assist/chat', headers: AUTH, payload: { messages: [{ role: 'user', content: 'which other hosts talked to 192.0.2.7?' }] } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().phrased, true, res.body);
    assert.deepEqual(res.json().skipped, [shard]);
  } finally {
    await phrased.close();
    base.close();
  }
});

test('chat: "which hosts were affected?" looks for each indicator of a pasted report in the log store, one search of 500 lines each', async () => {
  const base = new IncidentBase(':memory:');
  const deps = fakeDeps();
  const assistant = new Assistant({ base, logs: deps.searcher, now: () => 1_700_000_000_000 });
  const app = await buildApp({ ...deps, assistant });
  try {
    const a = await app.inject({ method: 'POST', url: '/api/assist/normalize', headers: AUTH, payload: { text: 'Beacon from 10.0.2.57 to 198.51.100.23 and hxxps://update-cdn[.]example/beacon' } });
    assert.equal(a.statusCode, 200, a.body);
    const before = deps.searcher.calls.length;
    const res = await app.inject({ method: 'POST', url: '/api/assist/chat', headers: AUTH, payload: { incidentId: a.json().id, messages: [{ role: 'user', content: 'which hosts were affected?' }] } });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.intent, 'sightings');
    const asked = deps.searcher.calls.slice(before);
    assert.deepEqual(asked.map((c) => [c.query, c.limit]), [
      ['sub:"update-cdn.example" sub:"/beacon"', 500],
      ['domain:update-cdn.example', 500],
      ['ip:198.51.100.23', 500],
    ]);
    // the canned searcher answers 2,500 lines to any query: a full page is a lower bound
    assert.match(body.answer, /^The report names 3 indicators \[1\]; all are in the logs of the last 7 days, no internal host is named with any\. The URL https:\/\/update-cdn\.example\/beacon: at least 500 lines, first seen /);
    assert.equal(body.citations[0].kind, 'incident');
    assert.equal(body.citations[1].kind, 'log');
    assert.deepEqual(body.skipped, []);
  } finally {
    await app.close();
    base.close();
  }
});

test('normalize refuses bytes that are not text with a 400; an unsaved analysis id works in chat', async () => {
  const { app, close } = await setup();
  try {
    // bytes as an image or an archive has them, NULs among them, the same every run: 1,000 random bytes had
    // no NUL and at most a tenth control bytes about 1 run in 100, and passed as text (the test failed once so)
    const randomBytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => (i * 167 + (i >> 8)) & 0xff));
    const bin = await app.inject({ method: 'POST', url: '/api/assist/normalize', headers: { ...AUTH, 'content-type': 'application/octet-stream' }, payload: randomBytes(300_000) });
    assert.equal(bin.statusCode, 400, bin.body);
    assert.match(bin.body, /ASSIST_NOT_TEXT/);
    assert.match(bin.json().error?.message ?? bin.body, /not text.*convert it to text/);
    const b64 = await app.inject({ method: 'POST', url: '/api/assist/normalize', headers: AUTH, payload: { base64: randomBytes(1000).toString('base64') } });
    assert.equal(b64.statusCode, 400, b64.body);
    // what is not base64 is said so, where, not decoded into a few stray bytes ("the report is empty")
    for (const [base64, at] of [['!!!', /"!" at character 1/], ['U1NI IGJydXRl\nIGZvcmNl=x', /"=" at character 23/], ['SSH brute force from 203.0.113.9', /"\." at character 25/]] as const) {
      const bad = await app.inject({ method: 'POST', url: '/api/assist/normalize', headers: AUTH, payload: { base64 } });
      assert.equal(bad.statusCode, 400, bad.body);
      assert.equal(bad.json().error.code, 'ASSIST_BAD_BODY');
      assert.match(bad.json().error.message, at);
    }
    const wrapped = await app.inject({ method: 'POST', url: '/api/assist/normalize', headers: AUTH, payload: { base64: Buffer.from('SSH brute force from 203.0.113.9 against web-01').toString('base64').replace(/(.{20})/g, '$1\r\n') } });
    assert.equal(wrapped.statusCode, 200, 'a wrapped MIME body is base64 too');
    const a = await app.inject({ method: 'POST', url: '/api/assist/normalize', headers: { ...AUTH, 'content-type': 'text/plain' }, payload: 'SSH brute force from 203.0.113.9 against web-01' });
    assert.equal(a.json().saved, false);
    const chat = await app.inject({ method: 'POST', url: '/api/assist/chat', headers: AUTH, payload: { incidentId: a.json().id, messages: [{ role: 'user', content: 'what is this?' }] } });
    assert.equal(chat.statusCode, 200, chat.body);
    const gone = await app.inject({ method: 'POST', url: '/api/assist/chat', headers: AUTH, payload: { incidentId: 'report:0000', messages: [{ role: 'user', content: 'what is this?' }] } });
    assert.equal(gone.statusCode, 404);
    assert.doesNotMatch(gone.body, /nml assist list/);
  } finally {
    await close();
  }
});

test('normalize documents its body (JSON, text, the file types) and validates it: a JSON field of a wrong type is named; what is no report keeps ASSIST_BAD_BODY', async () => {
  const { app, close } = await setup();
  try {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json', headers: AUTH })).json();
    const body = doc.paths['/api/assist/normalize'].post.requestBody;
    assert.deepEqual(Object.keys(body.content).sort(), ['application/json', 'application/mbox', 'application/octet-stream', 'message/rfc822', 'text/plain']);
    const json = body.content['application/json'].schema.anyOf[0];
    assert.deepEqual(Object.keys(json.properties).sort(), ['base64', 'format', 'save', 'text']);
    assert.deepEqual(json.properties.format.enum, ['alert', 'email', 'json', 'text']);

    const report = 'SSH brute force from 203.0.113.9 against web-01';
    const post = (payload: string) => app.inject({ method: 'POST', url: '/api/assist/normalize', headers: { ...AUTH, 'content-type': 'application/json' }, payload });
    // as clients have sent it: the report as a JSON string, and fields normalize does not read
    assert.equal((await post(JSON.stringify(report))).statusCode, 200);
    assert.equal((await post(JSON.stringify({ text: report, comment: 'x' }))).statusCode, 200);
    for (const [payload, param] of [[{ text: report, format: 'pdf' }, 'format'], [{ text: report, save: 'yes' }, 'save'], [{ text: { a: 1 } }, 'text']] as const) {
      const res = await post(JSON.stringify(payload));
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().error.code, 'HTTP_BAD_REQUEST', res.body);
      assert.equal(res.json().error.details.param, param, res.body);
    }
    // Ajv coerces 0, true or ["x"] to the string the schema allows: none of them is a report
    for (const payload of ['{}', '{"report": "x"}', '0', 'true', 'null', '["x"]']) {
      const res = await post(payload);
      assert.equal(res.statusCode, 400, `${payload}: ${res.body}`);
      assert.equal(res.json().error.code, 'ASSIST_BAD_BODY', `${payload}: ${res.body}`);
    }
  } finally {
    await close();
  }
});
