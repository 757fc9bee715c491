/** `nml assist list`, `show` and `delete` over a data directory's incident base. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturesDir, runCli } from '../testing.js';
import { IncidentBase, type Incident } from '../../assist/index.js';
import { incidentBasePath } from '../../assist-wiring.js';

const FIX = fixturesDir('assist');

function incident(id: string, source: string, title: string): Incident {
  return { id, source, title, text: `${title}\nsecond line`, time: '2026-11-02', labels: ['Hacking'], attrs: {}, firstAction: 'reset the password', countermeasure: null, steps: ['called the user'], outcome: null };
}

function withData(run: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nml-assist-base-cli-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('nml assist list: newest saved first, --source/--match/--since, --limit says how many more, --json one per line', withData(async (dir) => {
  const base = new IncidentBase(incidentBasePath(dir));
  base.put([incident('vcdb:1', 'vcdb', 'Laptop stolen'), incident('vcdb:2', 'vcdb', 'Payroll phishing'), incident('vcdb:3', 'vcdb', 'Lost USB stick')], Date.parse('2026-11-01T00:00:00Z'));
  base.close();
  const imp = await runCli(['assist', 'import', '--data', dir, join(FIX, 'plain.txt')]);
  assert.equal(imp.code, 0, imp.err);

  const all = await runCli(['assist', 'list', '--data', dir]);
  assert.equal(all.code, 0, all.err);
  const lines = all.out.trimEnd().split('\n');
  assert.equal(lines.length, 4);
  assert.match(lines[0]!, /^20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+report\s+report:[0-9a-f]{16}\s+\S/);
  assert.match(lines[3]!, /^2026-11-01T00:00:00Z\s+vcdb\s+vcdb:1\s+Laptop stolen$/);
  assert.match(all.err, /nml: 4 incidents listed; the base holds vcdb 3, report 1/);

  const limited = await runCli(['assist', 'list', '--data', dir, '--source', 'vcdb', '--limit', '1']);
  assert.equal(limited.out.trimEnd().split('\n').length, 1);
  assert.match(limited.out, /vcdb:3/);
  assert.match(limited.err, /nml: 1 incident printed and 2 more match; --limit N prints more/);

  assert.match((await runCli(['assist', 'list', '--data', dir, '--match', 'PAYROLL'])).out, /^\S+\s+vcdb\s+vcdb:2\s+Payroll phishing\n$/);
  const since = await runCli(['assist', 'list', '--data', dir, '--since', '2026-11-02', '--json']);
  const rows = since.out.trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string; source: string; saved: string });
  assert.deepEqual(rows.map((r) => r.source), ['report']);
  assert.match(rows[0]!.saved, /^20\d\d-\d\d-\d\dT/);
  assert.equal(since.err, '', '--json: nothing on stderr when all are printed');
  const none = await runCli(['assist', 'list', '--data', dir, '--match', 'no such words']);
  assert.equal(none.code, 0);
  assert.match(none.err, /nml: no incident matches; the base holds vcdb 3, report 1/);
  const bad = await runCli(['assist', 'list', '--data', dir, '--since', 'last tuesday']);
  assert.equal(bad.code, 2, bad.err);
  assert.match(bad.err, /assist list: --since: /);
}));

test('nml assist list creates nothing: no base says how to fill it, a missing data directory is said', withData(async (dir) => {
  const empty = await runCli(['assist', 'list', '--data', dir]);
  assert.equal(empty.code, 0, empty.err);
  assert.equal(empty.out, '');
  assert.match(empty.err, /the incident base is empty .*nml assist import --data/);
  assert.equal(existsSync(incidentBasePath(dir)), false, 'no base created');
  const missing = await runCli(['assist', 'list', '--data', join(dir, 'typo')]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no data directory at/);
  const show = await runCli(['assist', 'show', 'vcdb:1', '--data', dir]);
  assert.notEqual(show.code, 0);
  assert.match(show.err, /no incident vcdb:1 in the incident base/);
}));

test('nml assist show prints the incident and a saved report\'s record; delete removes it, says what it removed, and an unknown id is an error', withData(async (dir) => {
  const base = new IncidentBase(incidentBasePath(dir));
  base.put([incident('vcdb:1', 'vcdb', 'Laptop stolen'), incident('vcdb:2', 'vcdb', 'Payroll phishing')], Date.parse('2026-11-01T00:00:00Z'));
  base.close();
  const imp = await runCli(['assist', 'import', '--data', dir, join(FIX, 'seed-verbatim.txt')]);
  const id = /: (report:[0-9a-f]{16}) /.exec(imp.out)?.[1];
  assert.ok(id !== undefined, imp.out);

  const corpus = await runCli(['assist', 'show', 'vcdb:2', '--data', dir]);
  assert.equal(corpus.code, 0, corpus.err);
  assert.match(corpus.out, /^id: vcdb:2\nsource: vcdb\ntitle: Payroll phishing\ntime: 2026-11-02\nsaved: 2026-11-01T00:00:00Z\nlabels: Hacking\nfirst action: reset the password\nstep: called the user\n\ntext:\nPayroll phishing\nsecond line\n$/);
  const report = await runCli(['assist', 'show', id, '--data', dir]);
  assert.match(report.out, /\nformat: alert\n/);
  assert.match(report.out, /threatName: WordPress Login Brute Force Attempt/);
  const json = JSON.parse((await runCli(['assist', 'show', id, '--data', dir, '--json'])).out) as { incident: { id: string; record: unknown } };
  assert.equal(json.incident.id, id);
  assert.ok(json.incident.record !== undefined);

  const del = await runCli(['assist', 'delete', 'vcdb:2', '--data', dir]);
  assert.equal(del.code, 0, del.err);
  assert.equal(del.out, 'deleted vcdb:2 (vcdb, saved 2026-11-01T00:00:00Z): Payroll phishing\n');
  const again = await runCli(['assist', 'delete', 'vcdb:2', '--data', dir]);
  assert.notEqual(again.code, 0);
  assert.match(again.err, /no incident vcdb:2 in the incident base; list what it holds with nml assist list/);
  assert.doesNotMatch((await runCli(['assist', 'list', '--data', dir])).out, /vcdb:2/);
  const sim = JSON.parse((await runCli(['assist', 'similar', '--data', dir, '--text', 'Payroll phishing', '--json'])).out) as { similar: { id: string }[] };
  assert.ok(sim.similar.every((r) => r.id !== 'vcdb:2'));

  const both = await runCli(['assist', 'delete', 'vcdb:1', '--source', 'vcdb', '--data', dir]);
  assert.equal(both.code, 2);
  assert.match(both.err, /both an incident id \(vcdb:1\) and --source/);
  const noSource = await runCli(['assist', 'delete', '--source', 'casie', '--data', dir]);
  assert.notEqual(noSource.code, 0);
  assert.match(noSource.err, /no incident of source 'casie' in the incident base; it holds (vcdb 1, report 1|report 1, vcdb 1)/);
  const bySource = await runCli(['assist', 'delete', '--source', 'vcdb', '--data', dir]);
  assert.equal(bySource.out, 'deleted 1 incident of source vcdb; the base holds report 1\n');
}));
