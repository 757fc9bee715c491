/**
 * `nml findings`: logged text (entities, notes, who set them) cannot drive the operator's terminal or
 * forge a line; `--by` is one printable name; a malformed finding id is bad input (exit 2).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCliSync, shellCommand } from '../testing.js';
import { FindingsStore, type NewFinding } from '../../detect/index.js';

const nml = (args: string[]) => runCliSync(args, { input: '' });
const ESC = '\x1b';
const hostile = `url:http://evil.example/${ESC}]0;PWNED${ESC}\\${ESC}[2J${ESC}]52;c;ZWNobw==\x07`;

function finding(entity: string, time: number): NewFinding {
  return { detector: 'url', entity, score: 0.99, threshold: 0.98, modelVersion: 'test', time, explanation: { summary: 'x', detail: null }, evidence: { query: 'x', from: 0, to: time } };
}

/** A findings.db with one hostile finding, triaged by a `by` and note of the kind a store written before `--by` was checked may hold. */
function hostileStore(dir: string): number {
  const store = new FindingsStore(join(dir, 'findings.db'));
  try {
    store.record([finding(hostile, 1_700_000_000_000)]);
    const id = store.list({ limit: 1 }).findings[0]!.id;
    store.triageMany([id], 'acknowledged', `seen ${ESC}[31mred`, 'mallory\n2026-01-01T00:00:00Z  resolved       by admin');
    return id;
  } finally {
    store.close();
  }
}

test('findings list, history, set and who: into a pipe the stored text is exact but on one line; --escape always shows control characters as \\xNN', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findings-esc-'));
  try {
    const id = String(hostileStore(dir));
    const list = nml(['findings', 'list', '--data', dir]);
    assert.equal(list.code, 0, list.err);
    assert.equal(list.out.split('\n').length, 2, `one line, the forged history entry not on its own: ${JSON.stringify(list.out)}`);
    assert.ok(list.out.includes(hostile), 'piped: the bytes as stored');
    const history = nml(['findings', 'history', id, '--data', dir]);
    assert.equal(history.code, 0, history.err);
    assert.equal(history.out.split('\n').length, 2, `one change, one line: ${JSON.stringify(history.out)}`);
    assert.match(history.out, /by mallory 2026-01-01T00:00:00Z {2}resolved {7}by admin: seen /);

    for (const args of [['list'], ['history', id], ['set', id, 'resolved', '--by', 'carol'], ['who', id]]) {
      const r = nml(['findings', ...args, '--escape', 'always', '--data', dir]);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
      assert.ok(!r.out.includes(ESC) && !r.out.includes('\x07'), `${args.join(' ')}: no raw control character: ${JSON.stringify(r.out)}`);
      if (args[0] !== 'history') assert.ok(r.out.includes('evil.example/\\x1b]0;PWNED\\x1b\\\\x1b[2J\\x1b]52;c;ZWNobw==\\x07'), `${args.join(' ')}: ${r.out}`);
    }
    const json = nml(['findings', 'list', '--json', '--escape', 'always', '--data', dir]);
    assert.equal((JSON.parse(json.out) as { entity: string }).entity, hostile, '--json is JSON-escaped already and left as it is');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const hasScript = spawnSync('script', ['--version']).status === 0;

test('findings list on a terminal escapes control characters without being asked', { skip: !hasScript && 'script(1) is not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findings-tty-'));
  try {
    hostileStore(dir);
    const cmd = shellCommand(['findings', 'list', '--data', dir]);
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: REPO_ROOT, input: '', encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /url:http:\/\/evil\.example\/\\x1b\]0;PWNED/);
    assert.ok(!r.stdout.includes(ESC), JSON.stringify(r.stdout));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('findings set --by: one printable name of 1 to 64 characters, else exit 2 and nothing changed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findings-by-'));
  try {
    const store = new FindingsStore(join(dir, 'findings.db'));
    store.record([finding('url:http://a.example/x', 1_000)]);
    const id = String(store.list({ limit: 1 }).findings[0]!.id);
    store.close();
    for (const by of ['', '   ', 'x'.repeat(3_000), 'x'.repeat(65), 'mallory\n2026-01-01T00:00:00Z  resolved       by admin', `eve${ESC}[2J`, 'tab\there', 'bidi\u202eevil']) {
      const r = nml(['findings', 'set', id, 'resolved', '--by', by, '--data', dir]);
      assert.equal(r.code, 2, `${JSON.stringify(by.slice(0, 20))}: ${r.err}`);
      assert.match(r.err, /^nml: findings: --by must be 1 to 64 printable characters on one line \(no line breaks or control characters\), got \d+ characters?; name who sets it, e\.g\. --by carol\n$/);
    }
    assert.match(nml(['findings', 'history', id, '--data', dir]).out, /is open; nobody has changed its status/, 'nothing was set');
    for (const by of ['carol', 'cli:carol', 'Carol Smith', 'corp\\carol', 'ü'.repeat(64)]) {
      const r = nml(['findings', 'set', id, 'acknowledged', '--by', by, '--data', dir]);
      assert.equal(r.code, 0, `${by}: ${r.err}`);
    }
    assert.equal(nml(['findings', 'set', 'all', 'resolved', '--by', '', '--data', dir]).code, 2, "'all' checks --by too");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a malformed finding id is bad input (exit 2, FINDINGS_IDS_INVALID); a well-formed unknown one is not found (exit 1)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findings-ids-'));
  try {
    new FindingsStore(join(dir, 'findings.db')).close();
    const cases: [string[], string][] = [
      [['set', 'abc', 'resolved'], 'abc'],
      [['set', '0', 'resolved'], '0'],
      [['set', '1,-2', 'resolved'], '-2'],
      [['set', '9999999999999999', 'resolved'], '9999999999999999'],
      [['history', 'abc'], 'abc'],
      [['history', '9007199254740992'], '9007199254740992'],
      [['who', 'x,y'], 'x'],
    ];
    for (const [args, bad] of cases) {
      const r = nml(['findings', ...args, '--data', dir]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.equal(r.err, `nml: findings: '${bad}' is not a finding id (a whole number from 1 to 9007199254740991); 'nml findings list' shows them\n`);
    }
    const two = nml(['findings', 'history', '1,2', '--data', dir]);
    assert.equal(two.code, 2);
    assert.match(two.err, /history takes one finding id, got '1,2'/);
    const many = nml(['findings', 'set', Array.from({ length: 1_001 }, (_, i) => i + 1).join(','), 'resolved', '--data', dir]);
    assert.equal(many.code, 2, many.err);
    assert.match(many.err, /at most \d+ ids at once, got 1001/);
    const largest = nml(['findings', 'set', String(Number.MAX_SAFE_INTEGER), 'resolved', '--data', dir]);
    assert.equal(largest.code, 1, 'well-formed, and nobody has it');
    assert.match(largest.err, new RegExp(`no finding with id ${Number.MAX_SAFE_INTEGER};`), 'said exactly, not rounded');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
