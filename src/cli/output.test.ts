/**
 * stdout that goes away (`nml … | true`, `| head`) or cannot be written (`> /dev/full`): the command
 * runs to its own end, closes what it opened, and exits with its own status (EPIPE), or says in one
 * line that its output could not be written and exits 1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliClosedStdout } from './testing.js';
import { errText, escapeControls, shownText } from './output.js';
import { FindingsStore } from '../detect/index.js';
import { fixture, serve, startFixtureServer } from '../trends/testing.js';

function withFinding(dir: string): void {
  const store = new FindingsStore(join(dir, 'findings.db'));
  try {
    store.record([{ detector: 'syn', entity: 'ip:203.0.113.9', score: 0.99, threshold: 0.98, modelVersion: 'test', time: 1_000, explanation: { summary: 'x', detail: null }, evidence: { query: 'x', from: 0, to: 1_000 } }]);
  } finally {
    store.close();
  }
}

test('a reader gone (EPIPE) does not hide the command\'s failure: findings set 1,99 exits 1 for the missing id', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-epipe-'));
  try {
    withFinding(dir);
    const r = await runCliClosedStdout(['findings', 'set', '1,99', 'resolved', '--data', dir]);
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /no finding with id 99 \(the others were set\)/);
    assert.doesNotMatch(r.err, /cannot write output/, 'EPIPE is not an error to report');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a reader gone (EPIPE) mid-command: trends collect still closes its store (no nml.lock, no -wal/-shm) and exits 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-epipe-'));
  const srv = await startFixtureServer();
  try {
    srv.route('/rss', serve(fixture('rss.xml'), 'application/rss+xml'));
    const sources = join(dir, 'sources.json');
    writeFileSync(sources, JSON.stringify({ fetch: { perHostIntervalMs: 0, retries: 0, timeoutMs: 2000, respectRobots: false }, sources: [{ name: 'news', kind: 'feed', url: `${srv.url}/rss` }] }));
    const data = join(dir, 'data');
    const r = await runCliClosedStdout(['trends', 'collect', '--once', '--sources', sources, '--data', data]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /cycle: 1 sources: 1 with new documents, 0 with none new, 0 failed; 3 new documents/);
    assert.equal(existsSync(join(data, 'nml.lock')), false, 'the store was closed: no lock left');
    assert.deepEqual(readdirSync(join(data, 'trends')).filter((f) => /-(wal|shm)$/.test(f)), [], 'docs.db was closed');
  } finally {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stdout that cannot be written (/dev/full): one line, no stack, exit 1', { skip: !existsSync('/dev/full') && 'no /dev/full here' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-enospc-'));
  try {
    withFinding(dir);
    const r = await runCliClosedStdout(['findings', 'list', '--data', dir], { stdoutFile: '/dev/full' });
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /^nml: cannot write output: [^\n]*ENOSPC[^\n]*\n$/, 'one line, no stack');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('logged text on a terminal: C0 controls but tab, DEL and C1 controls shown as \\xNN; into a pipe the text is exact unless asked', () => {
  const line = 'from 203.0.113.5 \x1b]0;PWNED\x07\x1b[2J\x1b]52;c;ZWNobw==\x07\tdone\r\n\x00\x7f\u009b\u00e9';
  const escaped = 'from 203.0.113.5 \\x1b]0;PWNED\\x07\\x1b[2J\\x1b]52;c;ZWNobw==\\x07\tdone\\x0d\\x0a\\x00\\x7f\\x9b\u00e9';
  assert.equal(escapeControls(line), escaped, 'tab and printable text (é) kept');
  assert.equal(shownText('auto', true)(line), escaped, 'a terminal');
  assert.equal(shownText('auto', false)(line), line, 'a pipe: bytes exact');
  assert.equal(shownText('always', false)(line), escaped);
  assert.equal(shownText('never', true)(line), line);
});

test('a message for stderr on a terminal: controls shown as \\xNN but tab and newline, which lay it out; into a pipe exact', () => {
  const msg = "nml: search: cannot read query 'a\x1b]0;PWNED\x07\u009b2J':\n\tline 1\r";
  assert.equal(errText(msg, true), "nml: search: cannot read query 'a\\x1b]0;PWNED\\x07\\x9b2J':\n\tline 1\\x0d");
  assert.equal(errText(msg, false), msg);
});
