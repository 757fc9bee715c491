/** Findings through the real node: stored in <data>/findings.db, listed by the API, searchable as log lines. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { startNode, type RunningNode } from '../../src/node.js';
import { api, eventually, tempDir, testConfig, tokenOf } from './helpers.js';

/** A real node on a temp data dir for `run`, stopped and removed after it. */
async function onNode(prefix: string, run: (node: RunningNode, base: string, token: string) => Promise<void>): Promise<void> {
  const tmp = tempDir(prefix);
  const node = await startNode(testConfig(tmp.dir), pino({ level: 'silent' }));
  try {
    await run(node, node.httpUrl!, tokenOf(tmp.dir));
  } finally {
    await node.stop();
    tmp.cleanup();
  }
}

test('a recorded finding is listed by /api/findings and found by a search for its entity', async () => {
  await onNode('nml-e2e-findings-', async (node, base, token) => {
    const now = Date.now();
    const f = {
      detector: 'syn',
      entity: 'ip:203.0.113.99',
      score: 0.97,
      threshold: 0.5,
      modelVersion: 'test',
      time: now,
      explanation: { summary: 'sequence number equals the destination address', detail: null },
      evidence: { query: 'ip:203.0.113.99', from: now - 60_000, to: now + 60_000 },
    };
    node.findings.record([f]);
    node.findings.record([{ ...f, score: 0.8 }]);
    const listed = await api<{ findings: { entity: string; count: number; score: number }[] }>(base, token, '/api/findings');
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.findings.map((x) => [x.entity, x.count, x.score]), [['ip:203.0.113.99', 2, 0.97]]);
    const count = async () => (await api<{ count: number }>(base, token, `/api/count?q=${encodeURIComponent('app:nml-detect ip:203.0.113.99')}`)).body.count;
    await eventually(async () => (await count()) === 1, 10_000, 'the first sighting is one searchable line');
  });
});

/** A BSD syslog timestamp (`Nov  8 10:00:01`, UTC) of `d`. */
function bsdStamp(d: Date): string {
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()]!;
  return `${mon} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`;
}

test('a malicious URL in an ingested line becomes a url finding with evidence that finds the line, and names the client that asked for it', async () => {
  await onNode('nml-e2e-url-', async (node, base, token) => {
    const bad = 'http://paypal.com.secure-login.verify-account.xyz/webscr/cmd=login/index.php?acc=8823';
    // stamped now: the evidence window is a day either side of when the line arrived (a fixed date
    // fell out of it once the clock passed it by a day)
    const stamp = bsdStamp(new Date());
    const lines = [
      `<134>${stamp} proxy-01 squid[811]: 10.0.3.7 TCP_MISS/200 5120 GET ${bad} - HIER_DIRECT/203.0.113.50 text/html`,
      `<134>${stamp} proxy-01 squid[811]: 10.0.3.8 TCP_MISS/200 812 GET https://www.google.com/search?q=weather - HIER_DIRECT/142.250.0.1 text/html`,
    ];
    const posted = await api<{ accepted: number }>(base, token, '/api/ingest', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: lines.join('\n') });
    assert.equal(posted.status, 200);
    type Findings = { findings: { id: number; entity: string; score: number; evidence: { query: string; from: number; to: number } }[] };
    await eventually(async () => (await api<Findings>(base, token, '/api/findings?detector=url')).body.findings.length > 0, 20_000, 'a url finding');
    const { findings } = (await api<Findings>(base, token, '/api/findings?detector=url')).body;
    assert.deepEqual(findings.map((f) => f.entity), [`url:${bad.slice('http://'.length)}`], 'only the malicious URL, named without its scheme');
    const ev = findings[0]!.evidence;
    const hits = await api<{ hits: { raw: string }[] }>(base, token, `/api/search?q=${encodeURIComponent(ev.query)}&from=${ev.from}&to=${ev.to}`);
    assert.deepEqual(hits.body.hits.map((h) => h.raw), [lines[0]]);
    // who asked for it: the proxy line's client, from the relation index (Squid's user column was '-')
    const id = findings[0]!.id;
    type Who = { who: Record<string, { entity: string; total: number; clients: { entity: string; count: number; identity: { users: string[] } | null }[] }>; missing: number[] };
    const who = await api<Who>(base, token, `/api/findings/clients?ids=${id},999999`);
    assert.equal(who.status, 200, JSON.stringify(who.body));
    assert.deepEqual(who.body.missing, [999999]);
    const w = who.body.who[String(id)]!;
    assert.equal(w.entity, 'domain:paypal.com.secure-login.verify-account.xyz');
    assert.deepEqual([w.total, w.clients.map((c) => [c.entity, c.count, c.identity?.users])], [1, [['ip:10.0.3.7', 1, []]]]);
    const wrong = await api<{ error: { code: string; message: string } }>(base, token, '/api/findings/clients?ids=1,x');
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.code, 'FINDINGS_IDS_INVALID');
    assert.equal((await fetch(`${base}/api/findings/clients?ids=${id}`)).status, 401, 'who a finding concerns needs credentials');
    assert.match(wrong.body.error.message, /comma-separated; got "x"/);
  });
});

test("a log replayed long after it was written: a URL finding's times, evidence and client are its line's", async () => {
  await onNode('nml-e2e-url-replay-', async (node, base, token) => {
    // a Zeek ssl.log record of March 2018 (epoch seconds before a tab), ingested today
    const ts = 1521912451.348917;
    const name = 'paypal.com.secure-login.verify-account.xyz';
    const line = [ts.toFixed(6), 'CPiiLAIXWntw2BoVh', '10.47.7.154', '27410', '23.251.149.254', '443', 'TLSv12', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', '-', name, 'T', '-', '-', 'T', 'CsiI', '-', '-', '-', '-'].join('\t');
    const posted = await api<{ accepted: number }>(base, token, '/api/ingest', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: line });
    assert.equal(posted.status, 200);
    type Finding = { id: number; entity: string; firstSeen: number; lastSeen: number; evidence: { query: string; from: number; to: number } };
    const of = async () => (await api<{ findings: Finding[] }>(base, token, '/api/findings?detector=url')).body.findings.find((f) => f.entity === `url:${name}/`);
    await eventually(async () => (await of()) !== undefined, 20_000, 'a url finding for the server name');
    const f = (await of())!;
    assert.deepEqual([f.firstSeen, f.lastSeen], [Math.round(ts * 1000), Math.round(ts * 1000)], 'seen when the line says, not when it arrived');
    const ev = f.evidence;
    assert.ok(ev.from <= ts * 1000 && ts * 1000 < ev.to);
    const count = await api<{ count: number }>(base, token, `/api/count?q=${encodeURIComponent(ev.query)}&from=${ev.from}&to=${ev.to}`);
    assert.equal(count.body.count, 1, 'the evidence search finds the line where the store filed it');
    type Who = { who: Record<string, { total: number; clients: { entity: string }[] }> };
    const who = await api<Who>(base, token, `/api/findings/clients?ids=${f.id}`);
    assert.deepEqual(who.body.who[String(f.id)]!.clients.map((c) => c.entity), ['ip:10.47.7.154']);
  });
});
