/**
 * `nml assist ask`: over a data directory of generated sshd lines it gives the answer and citations that
 * `POST /api/assist/chat` gives for the same data, the assistant built as a node builds it (openAssistant over
 * the log store and the investigator); bad input is told in words, with the project's exit status.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAssistant } from '../../assist-wiring.js';
import { resolveConfig } from '../../config.js';
import { openInvestigator } from '../../open-investigator.js';
import { buildApp } from '../../serve/app.js';
import { AUTH, fakeDeps } from '../../serve/testing.js';
import { openReader } from '../open.js';
import { runCliSync, runInProcess } from '../testing.js';

const ATTACKER = '198.51.100.217';
const HOUR = 3_600_000;
const REPORT = `Many failed SSH logins for root on srv-bastion-01 from ${ATTACKER} (brute force), about 200 in 5 minutes\n`;
const QUESTION = `was any login from ${ATTACKER} successful?`;

/** sshd lines of two days ago (inside chat's last 7 days, whenever the test runs): 6 failed for root, 3 for admin, bob's logon. */
function sshdLines(): string {
  const t0 = Math.floor((Date.now() - 2 * 86_400_000) / HOUR) * HOUR + 600_000;
  const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
  const lines: string[] = [];
  for (let i = 0; i < 6; i++) lines.push(`<38>${iso(t0 + i * 1000)} srv-bastion-01 sshd[4242]: Failed password for root from ${ATTACKER} port 4${i}000 ssh2`);
  for (let i = 0; i < 3; i++) lines.push(`<38>${iso(t0 + 10_000 + i * 1000)} srv-bastion-01 sshd[4242]: Failed password for admin from ${ATTACKER} port 5${i}000 ssh2`);
  lines.push(`<38>${iso(t0 + 20_000)} srv-app-02 sshd[16563]: Accepted password for bob from ${ATTACKER} port 60078 ssh2`);
  return lines.join('\n') + '\n';
}

async function withData(run: (dir: string, tmp: string) => Promise<void>): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'nml-assist-ask-'));
  const dir = join(tmp, 'data');
  try {
    writeFileSync(join(tmp, 'auth.log'), sshdLines());
    writeFileSync(join(tmp, 'report.txt'), REPORT);
    const ingest = await runInProcess(['ingest', '--data', dir, '--no-progress', join(tmp, 'auth.log')]);
    assert.equal(ingest.code, 0, ingest.err);
    await run(dir, tmp);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The API's answer over `dir`: with a report, normalize (unsaved) then chat about its id, as the Assist page does. */
async function apiAnswer(dir: string, question: string, report?: string): Promise<unknown> {
  const config = resolveConfig({ dataDir: dir });
  const reader = openReader(config);
  const investigation = openInvestigator(config);
  await investigation.ready;
  const opened = openAssistant(config, reader.searcher, investigation.investigator);
  assert.ok(opened !== null);
  const app = await buildApp({ ...fakeDeps(), assistant: opened.assistant });
  try {
    let incidentId: string | undefined;
    if (report !== undefined) {
      const a = await app.inject({ method: 'POST', url: '/api/assist/normalize', headers: AUTH, payload: { text: report } });
      assert.equal(a.statusCode, 200, a.body);
      incidentId = a.json().id;
    }
    const res = await app.inject({ method: 'POST', url: '/api/assist/chat', headers: AUTH, payload: { ...(incidentId === undefined ? {} : { incidentId }), messages: [{ role: 'user', content: question }] } });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  } finally {
    await app.close();
    opened.close();
    investigation.close();
    await reader.close();
  }
}

test('nml assist ask answers a logins question with the answer and citations of POST /api/assist/chat', async () => {
  await withData(async (dir, tmp) => {
    const cli = await runInProcess(['assist', 'ask', '--data', dir, '--json', QUESTION]);
    assert.equal(cli.code, 0, cli.err);
    const body = JSON.parse(cli.out);
    assert.equal(body.intent, 'logins');
    assert.match(body.answer, /^Yes: 1 logon from 198\.51\.100\.217 succeeded\. .*root 6× \[1\], admin 3× \[2\].*bob 1× \[3\].*srv-app-02 \(1 succeeded, 0 failed\) \[4\], srv-bastion-01 \(0 succeeded, 9 failed\) \[5\]/);
    assert.deepEqual(body.citations.map((c: { kind: string }) => c.kind), ['pivot', 'pivot', 'pivot', 'log', 'log']);
    assert.deepEqual(await apiAnswer(dir, QUESTION), body);

    // the incident from a report, as the page sends it: its source address is whose logons are asked about
    const withReport = await runInProcess(['assist', 'ask', '--data', dir, '--json', '--report', join(tmp, 'report.txt'), 'was any login from it successful?']);
    assert.equal(withReport.code, 0, withReport.err);
    assert.deepEqual(JSON.parse(withReport.out), await apiAnswer(dir, 'was any login from it successful?', REPORT));
    assert.equal(JSON.parse(withReport.out).answer, body.answer);

    // plain: the answer, then each citation with what it points to and the search that shows its lines
    const plain = await runInProcess(['assist', 'ask', '--data', dir, 'was', 'any', 'login', 'from', ATTACKER, 'successful?']);
    assert.equal(plain.code, 0, plain.err);
    const lines = plain.out.split('\n');
    assert.equal(lines[0], body.answer);
    assert.equal(lines[1], '');
    assert.equal(lines[2], `[1] pivot ip:${ATTACKER} out login_failed user:root`);
    assert.equal(lines[3], `    ${body.citations[0].snippet}`);
    const s = body.citations[0].search;
    assert.equal(lines[4], `    nml search --data '${dir}' --from ${s.from} --to ${s.to} 'ip:${ATTACKER} user:root'`);
    assert.match(plain.out, /^\[4\] log \S+#\d+\n {4}<38>\S+ srv-app-02 sshd\[16563\]: Accepted password for bob from 198\.51\.100\.217 port 60078 ssh2\n {4}nml search /m);
    assert.equal(lines.filter((l) => /^\[\d+\] /.test(l)).length, 5);
  });
});

test('nml assist ask: --report - reads the report from stdin; a question it does not know gets the list of questions', async () => {
  await withData(async (dir) => {
    const what = runCliSync(['assist', 'ask', '--data', dir, '--report', '-', 'what is this?'], { input: REPORT });
    assert.equal(what.code, 0, what.err);
    assert.match(what.out, /^This is "Many failed SSH logins.*\[1\]\n\n\[1\] incident report:[0-9a-f]{16}\n {4}Many failed SSH logins/);
    const help = await runInProcess(['assist', 'ask', '--data', dir, 'hello']);
    assert.equal(help.code, 0, help.err);
    assert.match(help.out, /^I can answer: /);
  });
});

test('nml assist ask: bad input is said in words, exit 2 for the command line, 1 for an id the base does not hold', async () => {
  await withData(async (dir, tmp) => {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    const cases: Array<{ args: string[]; code: number; err: RegExp }> = [
      { args: ['--data', dir, '  '], code: 2, err: /^nml: assist ask: the question is empty; ask one, e\.g\. nml assist ask "was any login from 203\.0\.113\.5 successful\?"\n$/ },
      { args: ['--data', dir, 'x'.repeat(20_001)], code: 2, err: /^nml: assist ask: the question is 20001 characters, more than the 20000 it may be; ask a sentence/ },
      { args: ['--data', dir, '--report', join(tmp, 'missing.txt'), 'what is this?'], code: 2, err: /^nml: assist: cannot read .*missing\.txt: there is no such file; check the path/ },
      { args: ['--data', dir, '--report', tmp, 'what is this?'], code: 2, err: /^nml: assist: cannot read .*: it is a folder, and a report is one file/ },
      { args: ['--data', dir, '--report', join(tmp, 'report.txt'), '--incident', 'x', 'what is this?'], code: 2, err: /^nml: assist ask: both --report .*report\.txt and --incident were given; give one of them\n$/ },
      { args: ['--data', dir, '--format', 'text', 'what is this?'], code: 2, err: /^nml: assist ask: --format says how to read --report's file, and no --report was given/ },
      { args: ['--data', join(tmp, 'missing'), 'hi'], code: 2, err: /^nml: assist: no data directory at .*missing; ingest logs \(nml ingest FILE --data .*\) or import incidents \(nml assist import --data .*\) first or pass --data DIR\n$/ },
      { args: ['--data', empty, 'hi'], code: 2, err: /^nml: assist: .*empty holds neither logs nor an incident base, so there is nothing to answer from; pass --data DIR/ },
      { args: ['--data', dir, '--incident', 'report:0000', 'what is this?'], code: 1, err: /^nml: assist ask: the data directory has no incident base \(assist\/incidents\.db\); give the report itself with --report FILE/ },
    ];
    for (const c of cases) {
      const r = await runInProcess(['assist', 'ask', ...c.args]);
      const shown = c.args.join(' ').slice(0, 120);
      assert.equal(r.code, c.code, `${shown}: ${r.err}`);
      assert.match(r.err, c.err, shown);
      assert.equal(r.out, '', shown);
    }
  });
});

test('nml assist ask over a damaged shard: the answer, then a warning naming the shard on stderr, exit 1; --json carries it in skipped as the API does', async () => {
  await withData(async (dir) => {
    const files = (readdirSync(join(dir, 'shards'), { recursive: true }) as string[]).filter((f) => f.endsWith('.db'));
    assert.equal(files.length, 1, files.join(', '));
    // the evidence lines' shard overwritten; the relation index, which counts the logons, is whole
    writeFileSync(join(dir, 'shards', files[0]!), Buffer.alloc(4096, 7));
    const named = `shards/${files[0]!.split('\\').join('/')}`;
    const warning = new RegExp(`^nml: warning: assist ask \\(a partial answer\\): a damaged or missing shard left out: ${named.replaceAll('.', '\\.')} \\(\\S+ to \\S+\\); matches from that time may be missing \\(a count is a lower bound\\)\\. The store problems \\(nml stats, the Live page\\) say what to do with the file\\n$`);

    const json = await runInProcess(['assist', 'ask', '--data', dir, '--json', QUESTION]);
    assert.equal(json.code, 1, 'a partial answer is not a clean exit');
    assert.match(json.err, warning);
    const body = JSON.parse(json.out);
    assert.match(body.answer, /^Yes: 1 logon from 198\.51\.100\.217 succeeded\. /, 'the counts come from the relation index');
    assert.doesNotMatch(body.answer, /The hosts logged on to/, 'the hosts were read from the lost lines');
    assert.deepEqual(body.skipped.map((s: { file: string }) => s.file), [named]);
    assert.deepEqual(await apiAnswer(dir, QUESTION), body, 'the API says the same, skipped included');

    const plain = await runInProcess(['assist', 'ask', '--data', dir, QUESTION]);
    assert.equal(plain.code, 1);
    assert.equal(plain.out.split('\n')[0], body.answer);
    assert.match(plain.err, warning);

    // an answer that reads no log line is whole
    const help = await runInProcess(['assist', 'ask', '--data', dir, 'hello']);
    assert.deepEqual([help.code, help.err], [0, '']);
  });
});
