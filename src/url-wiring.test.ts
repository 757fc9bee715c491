import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FindingsStore, type NewFinding } from './detect/index.js';
import type { Store } from './store/index.js';
import { logNewFindings } from './url-wiring.js';

const finding = (entity: string, time: number, sightings?: number): NewFinding => ({
  detector: 'syn',
  entity,
  score: 0.99,
  threshold: 0.9,
  modelVersion: 't',
  time,
  ...(sightings === undefined ? {} : { sightings }),
  explanation: { summary: `${entity} scanned`, detail: null },
  evidence: { query: entity, from: time - 1000, to: time },
});

test("a new finding's log line is written once, when it is raised, whatever its first count", async () => {
  const findings = new FindingsStore(':memory:');
  const lines: string[] = [];
  const store = { writer: { write: async (records: { line: string }[]) => void lines.push(...records.map((r) => r.line)) } } as unknown as Store;
  const off = logNewFindings(findings, store, { error: () => undefined });
  // a SYN board's first sighting of a host can count several SYN windows at once: it was never logged
  findings.record([finding('ip:192.0.2.7', 1_000, 3), finding('ip:192.0.2.8', 1_000)]);
  // seen again: no second line
  findings.record([finding('ip:192.0.2.7', 2_000, 2)]);
  off();
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.ok(lines.some((l) => l.includes('192.0.2.7')) && lines.some((l) => l.includes('192.0.2.8')));
  findings.close();
});
