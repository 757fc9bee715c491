/**
 * `nml search`: a logged line's escape sequences reach a terminal shown as \xNN, and a pipe byte for
 * byte; a damaged shard is left out of `nml search` and `nml count` with a warning and exit status 1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCliSync, shellCommand } from '../testing.js';

const ESC = '\x1b';
// set the window title, clear the screen, write the clipboard (OSC 52), and a C1 CSI
const line = `Nov 30 10:00:01 host1 sshd[1]: Failed password for root from 203.0.113.5 ${ESC}]0;PWNED${ESC}\\${ESC}[2J${ESC}]52;c;ZWNobw==\x07 \u009b2J done`;
const shown = 'from 203.0.113.5 \\x1b]0;PWNED\\x1b\\\\x1b[2J\\x1b]52;c;ZWNobw==\\x07 \\x9b2J done';
const hasScript = spawnSync('script', ['--version']).status === 0;

test('search: control characters of a logged line escaped on a terminal and with --escape always; exact into a pipe; --json left JSON-escaped', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-search-esc-'));
  try {
    const data = join(dir, 'd');
    const ingest = runCliSync(['ingest', '--data', data, '--no-progress'], { input: line + '\n' });
    assert.equal(ingest.code, 0, ingest.err);

    const piped = runCliSync(['search', '--data', data]);
    assert.equal(piped.code, 0, piped.err);
    assert.equal(piped.out, line + '\n', 'a pipe gets the bytes as stored');

    const always = runCliSync(['search', '--escape', 'always', '--data', data]);
    assert.equal(always.code, 0, always.err);
    assert.ok(always.out.endsWith(shown + '\n') && !always.out.includes(ESC), JSON.stringify(always.out));

    const json = runCliSync(['search', '--json', '--data', data]);
    assert.equal((JSON.parse(json.out) as { raw: string }).raw, line);

    assert.equal(runCliSync(['search', '--escape', 'sometimes', '--data', data]).code, 2, 'an unknown --escape is bad input');

    if (hasScript) {
      const cmd = shellCommand(['search', '--data', data]);
      const tty = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: REPO_ROOT, input: '', encoding: 'utf8', timeout: 60_000 });
      assert.equal(tty.status, 0, tty.stderr);
      assert.ok(tty.stdout.includes(shown) && !tty.stdout.includes(ESC), `a terminal, without being asked: ${JSON.stringify(tty.stdout)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Every shard file under `dir`, relative to it, sorted (oldest slot first). */
function shardFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.db')).sort();
}

test('search and count: a damaged shard is left out; the answer comes with a warning naming it, and exit status 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-search-damaged-'));
  try {
    const data = join(dir, 'd');
    const lines = ['<38>1 2026-11-30T10:00:01Z host1 sshd 1 - - Failed password for root from 203.0.113.5', '<38>1 2026-11-30T12:00:01Z host1 sshd 1 - - Failed password for admin from 203.0.113.6'];
    assert.equal(runCliSync(['ingest', '--data', data, '--no-progress'], { input: lines.join('\n') + '\n' }).code, 0);
    const files = shardFiles(join(data, 'shards'));
    assert.equal(files.length, 2, files.join(', '));
    assert.deepEqual(runCliSync(['count', '--data', data, 'failed']), { code: 0, out: '2\n', err: '' });
    // the older hour's file overwritten: the reader's catalog finds it from the header
    writeFileSync(join(data, 'shards', files[0]!), Buffer.alloc(4096, 7));
    const named = `shards/${files[0]!.split('\\').join('/')}`;
    const warning = new RegExp(`^nml: warning: search: a damaged or missing shard left out: ${named.replaceAll('.', '\\.')} \\(2026-11-30T10:00:01\\.000Z to 2026-11-30T10:00:01\\.000Z\\); matches from that time may be missing \\(a count is a lower bound\\)`);
    const count = runCliSync(['count', '--data', data, 'failed']);
    assert.equal(count.out, '1\n');
    assert.match(count.err, warning);
    assert.equal(count.code, 1, 'a partial answer is not a clean exit');
    const search = runCliSync(['search', '--data', data, 'failed']);
    assert.equal(search.out, lines[1] + '\n');
    assert.match(search.err, warning);
    assert.equal(search.code, 1);
    // a range without the damaged hour: a whole answer, no warning
    const later = runCliSync(['count', '--data', data, '--from', '2026-11-30T11:00:00Z', 'failed']);
    assert.deepEqual(later, { code: 0, out: '1\n', err: '' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("user:NAME finds the account's domain-qualified lines too (CORP\\name, name@REALM); user:\"corp\\name\" only that domain's", () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-search-user-'));
  try {
    const data = join(dir, 'd');
    const pan = (user: string) =>
      `1,2023/07/06 08:11:40,016401002737,THREAT,vulnerability,2561,2023/07/06 08:11:40,1.2.3.2,1.2.3.3,0.0.0.0,0.0.0.0,Rule,${user},,ssh,vsys1,Untrust,DMZ,e1,e2,fwd,2023/07/06 08:11:40,238810,1,47094,22,0,0,0x0,tcp,alert`;
    const lines = [pan('corp\\bob'), pan('LAB\\Bob'), '<38>1 2026-11-30T10:00:01Z host1 sshd 1 - - Accepted password for bob from 203.0.113.5 port 4242 ssh2', pan('corp\\alice')];
    assert.equal(runCliSync(['ingest', '--data', data, '--no-progress'], { input: lines.join('\n') + '\n' }).code, 0);
    const count = (q: string) => runCliSync(['count', '--data', data, q]).out.trim();
    assert.equal(count('user:bob'), '3', 'the bare account name finds every domain of it');
    assert.equal(count('user:"corp\\bob"'), '1', 'the qualified name finds only that domain');
    assert.equal(count('user:alice'), '1');
    assert.equal(count('user:corp'), '0', 'the domain is not a user');
    // several arguments are one query, as if quoted together (it was 'too many arguments')
    assert.deepEqual(runCliSync(['count', '--data', data, 'accepted', 'user:bob']), { code: 0, out: '1\n', err: '' });
    const two = runCliSync(['search', '--data', data, 'user:bob', 'accepted']);
    assert.equal(two.code, 0, two.err);
    assert.match(two.out, /^<38>1 .*Accepted password for bob/);
    assert.equal(two.out.trim().split('\n').length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('search says on stderr when --limit cut its output short, and when nothing matched; stdout holds the lines alone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-search-limit-'));
  try {
    const data = join(dir, 'd');
    const lines = Array.from({ length: 5 }, (_, i) => `<38>1 2026-11-30T10:00:0${i}Z host1 sshd 1 - - Failed password for root from 203.0.113.${i}`);
    assert.equal(runCliSync(['ingest', '--data', data, '--no-progress'], { input: lines.join('\n') + '\n' }).code, 0);
    const cut = runCliSync(['search', '--data', data, '--limit', '3', 'failed']);
    assert.equal(cut.code, 0, cut.err);
    assert.deepEqual(cut.out.trimEnd().split('\n'), [lines[4], lines[3], lines[2]]);
    assert.equal(cut.err, 'nml: the newest 3 matching lines were printed and more match; --limit N prints more, nml count gives how many\n');
    const whole = runCliSync(['search', '--data', data, '--limit', '5', 'failed']);
    assert.deepEqual(whole, { code: 0, out: [...lines].reverse().join('\n') + '\n', err: '' }, 'exactly the limit: nothing was cut');
    const none = runCliSync(['search', '--data', data, 'accepted']);
    assert.deepEqual(none, { code: 0, out: '', err: 'nml: no line matches "accepted" in the time range searched\n' });
    // a range that starts after now (a mistyped year) says so: the web UI refuses one, the CLI's is open at its end
    const future = runCliSync(['search', '--data', data, '--from', '2999-01-01', 'failed']);
    assert.equal(future.code, 0);
    assert.equal(future.out, '');
    assert.match(future.err, /^nml: no line matches "failed" in the time range searched \(the range starts at 2999-01-01T00:00:00\.000Z, after now: .*check --from\)\n$/);
    const counted = runCliSync(['count', '--data', data, '--from', '2999-01-01', 'failed']);
    assert.equal(counted.out, '0\n');
    assert.match(counted.err, /^nml: nothing counted \(the range starts at 2999-01-01T00:00:00\.000Z, after now/);
    assert.equal(runCliSync(['count', '--data', data, '--from', '2026-11-30', 'failed']).err, '', 'a past range: nothing added');
    // a reversed range names the options as typed and says what to do, as the API and the web UI do
    for (const cmd of ['search', 'count']) {
      const reversed = runCliSync([cmd, '--data', data, '--from', '2026-12-06T10:00Z', '--to', '2026-12-05T00:00Z', 'failed']);
      assert.deepEqual([reversed.code, reversed.err], [2, 'nml: time: --from 2026-12-06T10:00Z is after --to 2026-12-05T00:00Z; swap them\n'], cmd);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
