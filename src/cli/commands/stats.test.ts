/** `nml stats`: the data directory's path and the store's problems reach a terminal with their control characters shown as \xNN. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliSync, runInProcess } from '../testing.js';

const ESC = '\x1b';
// set the window title, clear the screen, and a C1 CSI
const hostile = `${ESC}]0;PWNED\x07${ESC}[2J\u009b2J`;
const shown = '\\x1b]0;PWNED\\x07\\x1b[2J\\x9b2J';

test('nml stats: control characters of a path shown as \\xNN with --escape always; exact into a pipe; --json left JSON-escaped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-stats-esc-'));
  try {
    // a folder name is text from outside (an archive unpacked, a share mounted under its own name)
    const data = join(dir, `d${hostile}`);
    const ingest = runCliSync(['ingest', '--data', data, '--no-progress'], { input: '<38>1 2026-11-30T10:00:01Z host1 sshd 1 - - Failed password for root from 203.0.113.5\n' });
    assert.equal(ingest.code, 0, ingest.err);

    // a child whose stdout is a pipe: the default (auto)
    const piped = runCliSync(['stats', '--data', data]);
    assert.equal(piped.code, 0, piped.err);
    assert.ok(piped.out.startsWith(`data dir     ${data}\nshards       1 (1 sealed)\nlines        1\n`), JSON.stringify(piped.out));
    // in this process: --escape always does not depend on what stdout is
    const always = await runInProcess(['stats', '--escape', 'always', '--data', data]);
    assert.equal(always.code, 0, always.err);
    assert.ok(always.out.startsWith(`data dir     ${join(dir, 'd')}${shown}\nshards       1 (1 sealed)\nlines        1\n`) && !always.out.includes(ESC), JSON.stringify(always.out));
    const json = await runInProcess(['stats', '--json', '--escape', 'always', '--data', data]);
    assert.equal((JSON.parse(json.out) as { dataDir: string }).dataDir, data);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml stats names a shard file that is gone, with its lines, until --forget-lost accepts the loss', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-stats-lost-'));
  try {
    const data = join(dir, 'd');
    const lines = ['2026-06-01T10:06:01Z', '2026-06-01T10:06:02Z', '2026-06-01T11:00:01Z'].map((t) => `<38>1 ${t} host1 sshd 1 - - Failed password for root from 203.0.113.5\n`).join('');
    const ingest = runCliSync(['ingest', '--data', data, '--no-progress'], { input: lines });
    assert.equal(ingest.code, 0, ingest.err);
    const rel = readdirSync(join(data, 'shards', '2026', '06', '01', '10'))[0]!;
    rmSync(join(data, 'shards', '2026', '06', '01', '10', rel));
    for (let i = 0; i < 2; i++) {
      const stats = await runInProcess(['stats', '--data', data]);
      // a health check hears of it: exit 1 and a warning on stderr (the list on stdout)
      assert.equal(stats.code, 1, stats.err);
      assert.match(stats.err, /^nml: warning: the store has 1 problem \(listed above\)/);
      assert.match(stats.out, new RegExp(`problem +store: a shard file the catalog lists is missing: shards/2026/06/01/10/${rel} \\(2 lines, .*\\); 2 lines are no longer searchable; .*--forget-lost`));
    }
    const forget = await runInProcess(['stats', '--forget-lost', '--data', data]);
    assert.equal(forget.code, 0, forget.err);
    assert.match(forget.out, new RegExp(`forgotten +1 missing shard file \\(2 lines\\)[^\\n]*\\nforgotten +shards/2026/06/01/10/${rel} \\(2 lines\\)`));
    assert.ok(!forget.out.includes('problem'), forget.out);
    const after = await runInProcess(['stats', '--json', '--data', data]);
    assert.equal(after.code, 0, after.err);
    assert.deepEqual((JSON.parse(after.out) as { problems: string[]; rows: number }).problems, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml stats counts the closed hours merged into one shard each (nml ingest merges the past hours it wrote)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-stats-merged-'));
  try {
    const data = join(dir, 'd');
    // two minutes of one hour (two shards: merged), and one line in the next hour (one shard: left as it is);
    // lines of hours long past go to minute shards only with store.hourShardsAfterMs null
    const config = join(dir, 'nml.json');
    writeFileSync(config, JSON.stringify({ store: { hourShardsAfterMs: null } }));
    const lines = ['2026-06-01T10:06:01Z', '2026-06-01T10:07:02Z', '2026-06-01T11:00:01Z'].map((t) => `<38>1 ${t} host1 sshd 1 - - Failed password for root from 203.0.113.5\n`).join('');
    const ingest = runCliSync(['ingest', '--data', data, '--config', config, '--no-progress'], { input: lines });
    assert.equal(ingest.code, 0, ingest.err);
    const text = await runInProcess(['stats', '--data', data]);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /^shards {7}2 \(2 sealed\)$/m);
    assert.match(text.out, /^merged {7}1 closed hour in one shard each$/m);
    const json = await runInProcess(['stats', '--json', '--data', data]);
    assert.equal((JSON.parse(json.out) as { mergedShards: number }).mergedShards, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml stats groups the digits of large counts for a person; --json keeps them numbers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-stats-grouped-'));
  try {
    const data = join(dir, 'd');
    const lines = Array.from({ length: 1234 }, (_, i) => `<38>1 2026-11-30T10:00:${String(i % 60).padStart(2, '0')}Z host1 sshd 1 - - Failed password for root from 203.0.113.5 port ${i}\n`).join('');
    const ingest = runCliSync(['ingest', '--data', data, '--no-progress'], { input: lines });
    assert.equal(ingest.code, 0, ingest.err);
    const text = await runInProcess(['stats', '--data', data]);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /^lines {8}1,234$/m);
    assert.match(text.out, /^disk {9}\d+\.\d MB \(\d+\.\d bytes\/line\)$/m);
    const json = JSON.parse((await runInProcess(['stats', '--json', '--data', data])).out) as { rows: unknown };
    assert.equal(json.rows, 1234);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
