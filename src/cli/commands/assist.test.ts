import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, linkSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturesDir, runCli, runCliSync, runInProcess } from '../testing.js';
import { Assistant, BM25_ONLY, IncidentBase, loadRankModel, seedDemoIncidents, SCORE_MEANING, SIMILAR_SHOWN } from '../../assist/index.js';
import { buildApp } from '../../serve/app.js';
import { AUTH, fakeDeps } from '../../serve/testing.js';
import { isAppError } from '../../core/index.js';
import { saveAssistModel } from './eval-assist.js';
import { incidentBasePath } from '../../assist-wiring.js';

const FIX = fixturesDir('assist');

const run = (args: string[]) => runCli(args);

test('nml assist normalize FILE --json prints the record with its pointers', async () => {
  const r = await run(['assist', 'normalize', join(FIX, 'seed-verbatim.txt'), '--json']);
  assert.equal(r.code, 0, r.err);
  const rec = JSON.parse(r.out);
  assert.equal(rec.format, 'alert');
  assert.equal(rec.fields.threatName.value, 'WordPress Login Brute Force Attempt');
  const f = rec.fields.dstPort;
  assert.equal(rec.parts[f.from.part].slice(f.from.start, f.from.end), '80');
});

test('nml assist import files, then similar; errors are AppErrors with exit code 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-cli-'));
  try {
    const imp = await run(['assist', 'import', '--data', dir, join(FIX, 'thread-ja.mbox'), join(FIX, 'plain.txt')]);
    assert.equal(imp.code, 0, imp.err);
    assert.match(imp.out, /base: 2 incidents/);
    const sim = await run(['assist', 'similar', '--data', dir, '--text', 'ssh brute force 203.0.113.45 port 22', '--json']);
    assert.equal(sim.code, 0, sim.err);
    const body = JSON.parse(sim.out);
    assert.match(body.similar[0].title, /SSH Brute Force/);
    assert.equal(body.suggestion.source, 'similar-incidents');
    const bad = await run(['assist', 'normalize', join(dir, 'missing.txt')]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /cannot read/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml eval assist refuses a seed that is not a number before any work', async () => {
  const r = await run(['eval', 'assist', '--seed', 'abc']);
  assert.equal(r.code, 2);
  assert.match(r.err, /--seed.*expected an integer ≥ 0, got 'abc'/);
});

test('nml assist refuses an empty report and a file that is not text, before anything is saved', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-cli-'));
  try {
    const empty = join(dir, 'empty.txt');
    const binary = join(dir, 'image.png');
    writeFileSync(empty, ' \n\n');
    writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4, 5, 6, 7, 8]));
    const e = await run(['assist', 'import', '--data', dir, empty]);
    assert.equal(e.code, 2);
    assert.match(e.err, /empty\.txt is empty/);
    const b = await run(['assist', 'import', '--data', dir, binary]);
    assert.equal(b.code, 2);
    assert.match(b.err, /image\.png is not text/);
    const t = await run(['assist', 'similar', '--data', dir, '--text', '']);
    assert.equal(t.code, 2);
    assert.match(t.err, /--text is empty/);
    // a file and --text: neither is dropped without a word
    const both = await run(['assist', 'similar', '--data', dir, '--text', 'ssh brute force', empty]);
    assert.equal(both.code, 2, both.err);
    assert.match(both.err, /^nml: assist similar: both a report file \(.*empty\.txt\) and --text were given; give one of them\n$/);
    const base = new IncidentBase(incidentBasePath(dir));
    assert.equal(base.count(), 0, 'nothing saved');
    base.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml assist similar reads only: a missing data directory or an empty base is said, and nothing is created', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-cli-'));
  try {
    const typo = join(dir, 'typo');
    const missing = await run(['assist', 'similar', '--data', typo, '--text', 'ssh brute force']);
    assert.equal(missing.code, 2, missing.err);
    assert.match(missing.err, /^nml: assist: no data directory at .*typo; import incidents with nml assist import --data .*typo first or pass --data DIR\n$/);
    assert.equal(existsSync(typo), false, 'the typo was not created');
    const noBase = await run(['assist', 'similar', '--data', dir, '--text', 'ssh brute force']);
    assert.equal(noBase.code, 1);
    assert.match(noBase.err, /the incident base is empty \(.* has no assist\/incidents\.db\); run nml assist import --data /);
    assert.equal(existsSync(join(dir, 'assist')), false, 'no base created');
    new IncidentBase(incidentBasePath(dir)).close();
    const empty = await run(['assist', 'similar', '--data', dir, '--text', 'ssh brute force', '--json']);
    assert.equal(empty.code, 1);
    assert.equal(empty.out, '', 'no "nothing similar" answer');
    assert.match(empty.err, /the incident base is empty \(.*incidents\.db holds no incident\); run nml assist import/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml assist refuses a report over 8 MiB by its size, and stops reading a device or stdin one byte past the limit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-cli-'));
  try {
    // sparse: 700 MB that take no disk; read whole, it was past V8's string limit (a RangeError with a stack)
    const big = join(dir, 'big700.txt');
    closeSync(openSync(big, 'w'));
    truncateSync(big, 700 * 1024 * 1024);
    for (const cmd of [['normalize', big], ['similar', big, '--data', dir], ['import', '--data', dir, big]]) {
      const r = await run(['assist', ...cmd]);
      assert.equal(r.code, 2, `${cmd[0]}: ${r.err}`);
      assert.match(r.err, /^nml: assist: .*big700\.txt is 734003200 bytes, more than the 8388608 bytes \(8 MiB\) a report may be; send one report or thread/, cmd[0]);
    }
    // /dev/zero never ends: read whole it grew memory for ever (the timeout only bounds this test when it does)
    const zero = runCliSync(['assist', 'normalize', '/dev/zero'], { timeoutMs: 60_000 });
    assert.equal(zero.code, 2, zero.err);
    assert.match(zero.err, /^nml: assist: \/dev\/zero is more than the 8388608 bytes \(8 MiB\) a report may be/);
    const stdin = runCliSync(['assist', 'normalize', '-'], { input: 'a line of a report\n'.repeat(500_000), timeoutMs: 60_000 });
    assert.equal(stdin.code, 2, stdin.err);
    assert.match(stdin.err, /^nml: assist: stdin is more than the 8388608 bytes \(8 MiB\) a report may be/);
    assert.equal(existsSync(join(dir, 'assist')), false, 'import created no base');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml assist import checks every corpus name and file before it creates the base or imports anything', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-cli-'));
  try {
    const data = join(dir, 'data');
    const bad = await run(['assist', 'import', '--data', data, '--datasets', dir, '--corpus', 'vcdb,bogus']);
    assert.equal(bad.code, 2, bad.err);
    assert.match(bad.err, /^nml: assist: unknown corpus 'bogus' in --corpus; use vcdb, casie, hackmageddon; nothing was imported\n$/);
    const missing = await run(['assist', 'import', '--data', data, join(FIX, 'plain.txt'), join(dir, 'nonexistent.txt')]);
    assert.equal(missing.code, 2, missing.err);
    assert.match(missing.err, /cannot read .*nonexistent\.txt/);
    assert.equal(existsSync(data), false, 'no data directory, no assist/incidents.db');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml assist normalize, import and similar: control characters of a report shown as \\xNN with --escape always; exact into a pipe; --json left JSON-escaped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-esc-'));
  try {
    const ESC = '\x1b';
    // set the window title, clear the screen, and a C1 CSI, in the subject the title is read from
    const hostile = `${ESC}]0;PWNED\x07${ESC}[2J\u009b2J`;
    const shown = '\\x1b]0;PWNED\\x07\\x1b[2J\\x9b2J';
    // a file name is text from outside too (an attachment saved under its own name)
    const report = join(dir, `report${hostile}.txt`);
    writeFileSync(report, `Subject: SSH brute force ${hostile} from 203.0.113.45\n\nWe saw ssh brute force from 203.0.113.45 port 22 against srv-01. Blocked the address.\n`);

    // a child whose stdout is a pipe: the default (auto); in this process, --escape always (it does not depend on what stdout is)
    const piped = await run(['assist', 'normalize', report]);
    assert.equal(piped.code, 0, piped.err);
    assert.ok(piped.out.includes(`summary: SSH brute force ${hostile} from 203.0.113.45 `), JSON.stringify(piped.out));
    const always = await runInProcess(['assist', 'normalize', '--escape', 'always', report]);
    assert.equal(always.code, 0, always.err);
    assert.ok(always.out.includes(`summary: SSH brute force ${shown} from 203.0.113.45 `) && !always.out.includes(ESC), JSON.stringify(always.out));
    const json = await runInProcess(['assist', 'normalize', '--json', '--escape', 'always', report]);
    assert.equal((JSON.parse(json.out) as { fields: { summary: { value: string } } }).fields.summary.value, `SSH brute force ${hostile} from 203.0.113.45`);

    const imp = await runInProcess(['assist', 'import', '--escape', 'always', '--data', dir, report]);
    assert.equal(imp.code, 0, imp.err);
    assert.ok(imp.out.startsWith(`${join(dir, 'report')}${shown}.txt: report:`) && !imp.out.includes(ESC), JSON.stringify(imp.out));
    const similar = ['assist', 'similar', '--data', dir, '--text', 'ssh brute force 203.0.113.45 port 22'];
    const pipedSimilar = await run(similar);
    assert.equal(pipedSimilar.code, 0, pipedSimilar.err);
    // the first line names the columns
    assert.ok(pipedSimilar.out.split('\n')[1]!.endsWith(`  SSH brute force ${hostile} from 203.0.113.45`), JSON.stringify(pipedSimilar.out));
    const alwaysSimilar = await runInProcess([...similar, '--escape', 'always']);
    assert.equal(alwaysSimilar.code, 0, alwaysSimilar.err);
    assert.ok(alwaysSimilar.out.includes(`  SSH brute force ${shown} from 203.0.113.45\n`) && !alwaysSimilar.out.includes(ESC), JSON.stringify(alwaysSimilar.out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('eval assist --save-model writes the weights and the model card whole: renamed over the old files, which a reader holding them keeps; a failed write is CLI_OUTPUT_WRITE_FAILED', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-save-'));
  try {
    const weights = join(dir, 'weights.json');
    const card = join(dir, 'MODEL_CARD.md');
    writeFileSync(weights, 'old weights\n');
    writeFileSync(card, 'old card\n');
    // hard links stand for a reader that opened the old files: a write in place would change what they read
    linkSync(weights, join(dir, 'reader-weights'));
    linkSync(card, join(dir, 'reader-card'));
    const model = { ...BM25_ONLY, pool: 50, voteK: 5 };
    saveAssistModel(model, '# card\n', weights);
    assert.equal(readFileSync(join(dir, 'reader-weights'), 'utf8'), 'old weights\n');
    assert.equal(readFileSync(join(dir, 'reader-card'), 'utf8'), 'old card\n');
    assert.equal(loadRankModel(weights).pool, 50);
    assert.equal(readFileSync(card, 'utf8'), '# card\n');
    assert.deepEqual(readdirSync(dir).sort(), ['MODEL_CARD.md', 'reader-card', 'reader-weights', 'weights.json'], 'no temporary file is left');
    rmSync(card);
    mkdirSync(card);
    assert.throws(() => saveAssistModel(model, '# card\n', weights), (e: unknown) => isAppError(e) && e.code === 'CLI_OUTPUT_WRITE_FAILED' && e.message.includes(`cannot write the assist model card to ${card}`));
    assert.deepEqual(readdirSync(dir).sort(), ['MODEL_CARD.md', 'reader-card', 'reader-weights', 'weights.json'], 'no temporary file is left after a failure');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml assist: a missing report file and a folder are said in words, with what to do, not as the errno', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-path-'));
  try {
    const gone = join(dir, 'nope.txt');
    const missing = await runInProcess(['assist', 'normalize', gone]);
    assert.equal(missing.code, 2, missing.err);
    // until 2026-12: "cannot read …: ENOENT: no such file or directory, open '…'; check the path and its permissions"
    assert.equal(missing.err, `nml: assist: cannot read ${gone}: there is no such file; check the path (a relative one is read from the folder nml runs in)\n`);
    const folder = await runInProcess(['assist', 'similar', '--data', dir, dir]);
    assert.equal(folder.code, 2, folder.err);
    // until 2026-12: "it is a folder; check the path and its permissions", advice that did not fit
    assert.equal(folder.err, `nml: assist: cannot read ${dir}: it is a folder, and a report is one file; name one of its files (nml assist import takes several)\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml assist similar: no similar incident in a base that holds some is said, with how many were searched', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-none-'));
  try {
    const imp = await run(['assist', 'import', '--data', dir, join(FIX, 'plain.txt')]);
    assert.equal(imp.code, 0, imp.err);
    const none = await runInProcess(['assist', 'similar', '--data', dir, '--text', 'qzxwv brrgnak ylloptiq']);
    assert.equal(none.code, 0, none.err);
    // until 2026-12 the list was left empty without a word, the playbook's action under it
    assert.ok(none.out.startsWith('no similar incident: the one incident in the base shares no word with this report'), none.out);
    assert.match(none.out, /first action \(playbook/);
    const json = await runInProcess(['assist', 'similar', '--data', dir, '--text', 'qzxwv brrgnak ylloptiq', '--json']);
    assert.equal(JSON.parse(json.out).searched, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml assist similar lists as many incidents as the Assist page, names its columns, says what the score is and which incident the action is from', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-agree-'));
  try {
    const base = new IncidentBase(incidentBasePath(dir));
    seedDemoIncidents(base);
    base.close();
    // shares a word with each of the 7 demo incidents
    const report = 'SSH brute force from 203.0.113.45: failed logins; we blocked it at the firewall, disabled the account and checked every host on the network';
    const out = await runInProcess(['assist', 'similar', '--data', dir, '--text', report]);
    assert.equal(out.code, 0, out.err);
    const lines = out.out.split('\n');
    assert.equal(lines[0], 'score  incident  title');
    const listed = lines.filter((l) => /^\d+\.\d{3} {2}demo:\d/.test(l));
    // the page lists up to SIMILAR_SHOWN (10) and the demo base holds 7; the CLI listed 5
    assert.equal(listed.length, Math.min(7, SIMILAR_SHOWN));
    assert.ok(out.out.includes(`(${SCORE_MEANING})\n`), out.out);
    const json = JSON.parse((await runInProcess(['assist', 'similar', '--data', dir, '--text', report, '--json'])).out) as { similar: { id: string }[]; suggestion: { from: { id: string; title: string }[] } };
    assert.equal(json.similar.length, listed.length, '--json lists the same');
    const from = json.suggestion.from[0]!;
    assert.match(out.out, new RegExp(`\\n  drawn from ${from.id} "${from.title.replace(/[()]/g, '\\$&')}"; what was done then: `));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml assist similar: an incident that shares no word (listed for its label\'s vote) says so, not an empty "terms:"', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-noterms-'));
  try {
    const base = new IncidentBase(incidentBasePath(dir));
    seedDemoIncidents(base);
    base.close();
    const report = 'Microsoft Defender alert. My workstation is WS-0231 (10.20.4.31). Source: 203.0.113.9 tried ssh root login 40 times at 2026-12-06 01:58 UTC.';
    const out = await runInProcess(['assist', 'similar', '--data', dir, '--text', report]);
    assert.equal(out.code, 0, out.err);
    const json = JSON.parse((await runInProcess(['assist', 'similar', '--data', dir, '--text', report, '--json'])).out) as { similar: { id: string; why: { sharedTerms: string[] } }[] };
    const bare = json.similar.filter((r) => r.why.sharedTerms.length === 0);
    assert.ok(bare.length > 0, 'the report has an incident listed without a shared word');
    assert.doesNotMatch(out.out, /terms: {2}|terms: *\n/, out.out);
    for (const r of bare) assert.match(out.out, new RegExp(`  ${r.id}  [^\\n]*\\n {8}(?!terms:)\\S`), r.id);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml assist similar --limit 3 cuts the list only: the first action is the one the API (and the page) draws from the top 10', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-limit-'));
  try {
    const seeded = new IncidentBase(incidentBasePath(dir));
    seedDemoIncidents(seeded);
    seeded.close();
    // three open cases most like the report, none with a response yet: the first close incident is the fourth
    const open = [1, 2, 3].map((i) => {
      const f = join(dir, `open-${i}.txt`);
      writeFileSync(f, `SSH brute force against srv-bastion-0${i}: thousands of failed password logins for root and admin from one address, still under investigation (case ${i})`);
      return f;
    });
    const imp = await run(['assist', 'import', '--data', dir, ...open]);
    assert.equal(imp.code, 0, imp.err);
    const report = 'SSH brute force against srv-bastion-09: thousands of failed password logins for root and admin from 203.0.113.45';
    const cli = await runInProcess(['assist', 'similar', '--data', dir, '--text', report, '--limit', '3', '--json']);
    assert.equal(cli.code, 0, cli.err);
    const mine = JSON.parse(cli.out) as { similar: { id: string }[]; suggestion: unknown };
    const base = new IncidentBase(incidentBasePath(dir));
    const app = await buildApp({ ...fakeDeps(), assistant: new Assistant({ base, model: loadRankModel() }) });
    try {
      const res = await app.inject({ method: 'POST', url: '/api/assist/normalize', headers: AUTH, payload: { text: report } });
      assert.equal(res.statusCode, 200, res.body);
      const page = res.json() as { similar: { id: string }[]; suggestion: unknown };
      assert.ok(page.similar.length > 3, 'the API lists more than three');
      assert.deepEqual(mine.similar.map((r) => r.id), page.similar.slice(0, 3).map((r) => r.id), 'the first three, in order');
      assert.equal((page.suggestion as { source: string }).source, 'similar-incidents');
      // until 2026-12 the CLI drew the action from its three only, none of which records one: the playbook's
      assert.deepEqual(mine.suggestion, page.suggestion);
    } finally {
      await app.close();
      base.close();
    }
    const text = await runInProcess(['assist', 'similar', '--data', dir, '--text', report, '--limit', '3']);
    assert.equal(text.out.split('\n').filter((l) => /^\d+\.\d{3} {2}(?:demo|report):/.test(l)).length, 3);
    // the incident the action is drawn from is the fourth, which the list leaves out: the line says so
    assert.match(text.out, /\n {2}drawn from demo:\d+ "[^"]*", number 4 of the similar incidents \(not listed: --limit 3\); what was done then: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
