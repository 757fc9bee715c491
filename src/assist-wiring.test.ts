import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, envPatch } from './config.js';
import { openAssistant } from './assist-wiring.js';

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
