import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from './config.js';
import { envPatch } from './config-env.js';
import { openAssistant } from './assist-wiring.js';
import { DEMO_REPORTS, normalizeText } from './assist/index.js';
import { DEMO_C2_DOMAINS } from './collect/index.js';

test('assist config: the LLM is off by default, set by env, validated', () => {
  assert.equal(resolveConfig().assist.llm, null);
  const c = resolveConfig(envPatch({ NML_ASSIST_LLM_URL: 'http://127.0.0.1:8080/v1', NML_ASSIST_LLM_MODEL: 'qwen' }));
  assert.deepEqual(c.assist.llm, { url: 'http://127.0.0.1:8080/v1', model: 'qwen' });
  assert.throws(() => resolveConfig({ assist: { llm: { url: 'file:///etc/passwd', model: 'x' } } }), /assist\.llm\.url/);
});

test('openAssistant: a base under <data>/assist, nothing when disabled', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-wiring-'));
  try {
    const logs = { page: async () => ({ hits: [] }) };
    assert.equal(openAssistant(resolveConfig({ dataDir: dir, assist: { enabled: false } }), logs), null);
    const a = openAssistant(resolveConfig({ dataDir: dir }), logs);
    assert.ok(a !== null);
    const r = await a.assistant.analyze('Event Summary: test\nSource IP: 10.0.0.1\nDestination IP: 10.0.0.2\nProtocol: TCP\n', { save: true });
    assert.equal(a.assistant.get(r.incident.id).id, r.incident.id);
    a.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the demo starts an empty base with the demo network\'s past incidents, once: a pasted SSH brute force finds them and their first action', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-wiring-'));
  try {
    const logs = { page: async () => ({ hits: [] }) };
    const config = resolveConfig({ dataDir: dir, demo: { enabled: true, rate: 200 } });
    const a = openAssistant(config, logs)!;
    const r = await a.assistant.analyze('Event Summary: SSH Brute Force Attempt\nSource: 203.0.113.9\nDestination: 10.0.2.91 port 22\nMany failed logins for root');
    assert.equal(r.similar[0]?.incident.source, 'demo');
    assert.match(r.similar[0]!.incident.title, /SSH brute force/i);
    assert.equal(r.suggestion.source, 'similar-incidents');
    assert.match(r.suggestion.action, /block/i);
    // a phishing report finds the phishing incident among the first three
    const p = await a.assistant.analyze('Event Summary: phishing mail asking staff to verify their paypal account\nThreat Name: credential phishing');
    assert.ok(p.similar.slice(0, 3).some((s) => /phishing/i.test(s.incident.title)), p.similar.map((s) => s.incident.title).join(' | '));
    a.close();
    // a restart does not add them again
    const again = openAssistant(config, logs)!;
    // counted in the base: an incident that shares only a field's label (`Source:`) with the query is not similar (tokenize.ts searchTokens)
    assert.equal((await again.assistant.analyze('Many failed logins for root')).searched, DEMO_REPORTS.length);
    again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the demo\'s past C2 incident names a command-and-control domain the demo traffic uses, so asking which hosts it affected finds them', () => {
  const c2 = DEMO_REPORTS.filter((r) => /command-and-control/.test(r));
  assert.equal(c2.length, 1);
  const domain = normalizeText(c2[0]!).fields.domain?.value;
  assert.ok(domain !== undefined && DEMO_C2_DOMAINS.includes(domain), `${domain} is not one of ${DEMO_C2_DOMAINS.join(', ')}`);
});
