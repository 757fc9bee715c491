/**
 * A pivot lists a neighbour with the search that shows its lines (`ip:A port:P`, `ip:A ip:B`): that
 * search matches a line by its entities, so each address and port an edge names must be an entity of
 * the line the edge came from. Checked over every relation fixture line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { extractRelations, parseLine } from '../index.js';
import { readLines, repoRoot } from '../test-support.js';

const DIR = join(repoRoot(), 'test', 'fixtures', 'investigate', 'relations');

test("relation fixtures: every ip: and port: an edge names is an entity of its line (the pivot's evidence search finds it)", () => {
  const missing: string[] = [];
  let checked = 0;
  for (const name of readdirSync(DIR).filter((f) => f.endsWith('.log'))) {
    for (const line of readLines(join(DIR, name))) {
      const ev = parseLine({ line, receivedAt: Date.UTC(2024, 0, 2, 12), source: 'file:fixture' });
      const have = new Set(ev.entities.map((e) => `${e.kind}:${e.value}`));
      for (const r of extractRelations(ev)) {
        for (const end of [r.from, r.to]) {
          if (!end.startsWith('ip:') && !end.startsWith('port:')) continue;
          checked++;
          if (!have.has(end)) missing.push(`${name}: ${r.kind} ${r.from} ${r.to}: no ${end} in ${line.slice(0, 60)}`);
        }
      }
    }
  }
  assert.ok(checked > 50, `only ${checked} edge ends checked`);
  assert.deepEqual(missing, []);
});
