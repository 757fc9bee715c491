import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliSync, runInProcess, seedRelations as seedData } from '../testing.js';
import { investigateFixtures } from '../../investigate/testing.js';
import { ENTITY_TYPES, parseEntity, type PivotResult, type ScopeResult } from '../../investigate/index.js';
import { DEMO_C2_DOMAINS } from '../../collect/index.js';
import { resolveConfig } from '../../config.js';
import { openInvestigator } from '../../open-investigator.js';
import { buildApp } from '../../serve/app.js';
import { AUTH, fakeDeps } from '../../serve/testing.js';
import { Catalog } from '../../store/index.js';
import { pivotTable, scopeTable } from './pivot.js';

const FIXTURES = investigateFixtures();

const run = runInProcess;

test('nml pivot prints neighbours as a table or JSON, and scope with --scope', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-pivot-cli-'));
  try {
    seedData(dir);
    const common = ['--data', dir, '--blocklists', join(FIXTURES, 'blocklists'), '--articles', join(FIXTURES, 'articles'), '--from', '2024-01-02T00:00:00Z', '--to', '2024-01-03T00:00:00Z'];
    const table = await run(['pivot', ...common, 'ip:10.0.2.91']);
    assert.equal(table.code, 0, table.err);
    assert.match(table.out, /^ip:10\.0\.2\.91\n {2}behind it: user alice \(last 2024-01-02T09:56:00Z\); host ws-alice \(last 2024-01-02T09:55:00Z\); mac 00:11:22:33:44:91 \(last 2024-01-02T09:55:00Z\)\n/);
    assert.match(table.out, /flow → \(2\)\n +2x {2}ip:198\.51\.100\.66 +2024-01-02T10:00:02Z \.\. 2024-01-02T10:00:32Z {2}BLOCKLISTED corp-deny/);
    // the evidence line names the same data directory, so it can be pasted as it is
    const evidence = `evidence: nml search --data '${dir}' --from 1704189602000 --to 1704189632001 'ip:10.0.2.91 ip:198.51.100.66'`;
    assert.ok(table.out.includes(evidence), table.out);
    const json = await run(['pivot', ...common, '--json', '198.51.100.66']);
    assert.equal(json.code, 0, json.err);
    const body = JSON.parse(json.out);
    assert.equal(body.entity, 'ip:198.51.100.66');
    assert.deepEqual(body.blocklist, [{ indicator: '198.51.100.66', list: 'corp-deny' }]);
    const scope = await run(['pivot', ...common, '--scope', 'ip:10.0.2.91']);
    assert.equal(scope.code, 0, scope.err);
    assert.match(scope.out, /ip:10\.0\.2\.92 +3 shared {2}1 blocklisted {2}user bob/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml pivot: a bad entity is a usage error; a --data that holds no store is one too; a store without relations says so', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-pivot-cli-'));
  try {
    const typo = await run(['pivot', '--data', join(dir, 'typo'), 'ip:10.0.0.1']);
    assert.equal(typo.code, 2, typo.err);
    assert.match(typo.err, /^nml: store: no data directory at .*typo/);
    const notStore = await run(['pivot', '--data', dir, 'ip:10.0.0.1']);
    assert.equal(notStore.code, 2, notStore.err);
    assert.match(notStore.err, /^nml: store: .* holds no NML data/);
    new Catalog(dir, 60_000).close();
    const none = await run(['pivot', '--data', dir, 'ip:10.0.0.1']);
    assert.equal(none.code, 1);
    assert.match(none.err, /no relation index/);
    const badFirst = await run(['pivot', '--data', dir, 'bogus:thing']);
    assert.equal(badFirst.code, 2, 'the mistyped entity is told first, not the empty directory');
    assert.match(badFirst.err, /entity 'bogus:thing' has no known type/);
    const noFolder = await run(['pivot', '--data', dir, '--blocklists', join(dir, 'no-such-folder'), 'ip:10.0.0.1']);
    assert.equal(noFolder.code, 2);
    assert.match(noFolder.err, /--blocklists .*no-such-folder is not a folder/);
    seedData(dir);
    const bad = await run(['pivot', '--data', dir, 'ip:10.0.0.300']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /nml: pivot: entity 'ip:10\.0\.0\.300' is not an ipv4 or ipv6 address/i);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml pivot --help names every entity kind pivot accepts, url: too, and pivots from each example as it says', async () => {
  const help = await run(['pivot', '--help']);
  assert.equal(help.code, 0, help.err);
  const entities = help.out.slice(help.out.indexOf('Entities:'), help.out.indexOf('Relations:'));
  // before, url: was accepted (as its host) but named nowhere in the help
  for (const kind of [...ENTITY_TYPES, 'url']) assert.match(entities, new RegExp(`(^|\\s)${kind}:\\S`), `${kind}: in the help`);
  assert.match(help.out, /<entity>[\s\S]*url:… \(its host\)/, 'and in the argument');
  // each example is accepted; the URL's pivots on the host the help names
  for (const m of entities.matchAll(/(?:^|\s)([a-z]+):([^\s)]+)/g)) if (m[1] !== 'sig') assert.doesNotThrow(() => parseEntity(`${m[1]}:${m[2]}`), m[0]);
  assert.equal(parseEntity('url:evil.example/x').key, 'domain:evil.example');
  assert.ok(entities.includes('url:evil.example/x') && entities.includes('here domain:evil.example'));
});

test('nml pivot and --scope: control characters of logged entities and article titles shown as \\xNN with --escape always; exact into a pipe; --json left JSON-escaped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-pivot-esc-'));
  try {
    const ESC = '\x1b';
    // the parser drops colour codes (ESC [ … letter) from entities, not an OSC title or a C1 CSI; the user is lowercased
    const user = `r${ESC}]0;pwned\x07\u009b2j`;
    const userShown = 'r\\x1b]0;pwned\\x07\\x9b2j';
    const title = `Report ${ESC}]0;PWNED\x07${ESC}[2J\u009b2J on 10.0.2.93`;
    const lines = [
      `<38>2024-01-02T09:56:10Z srv sshd[1]: Accepted password for ${user} from 10.0.2.93 port 60078 ssh2`,
      '<30>2024-01-02T09:58:00Z dns-02 dnsmasq[1433]: query[A] www.example.com from 10.0.2.92',
      '<30>2024-01-02T09:58:01Z dns-02 dnsmasq[1433]: query[A] www.example.com from 10.0.2.93',
    ];
    const data = join(dir, 'd');
    const ingest = runCliSync(['ingest', '--data', data, '--no-progress'], { input: lines.join('\n') + '\n' });
    assert.equal(ingest.code, 0, ingest.err);
    mkdirSync(join(dir, 'articles'));
    writeFileSync(join(dir, 'articles', 'r.md'), `# ${title}\n\nSeen 10.0.2.93 beaconing.\n`);
    const common = ['pivot', '--data', data, '--articles', join(dir, 'articles'), '--from', '2024-01-01T00:00:00Z', '--to', '2024-01-03T00:00:00Z'];

    // a child whose stdout is a pipe: the default (auto)
    const piped = runCliSync([...common, 'ip:10.0.2.93']);
    assert.equal(piped.code, 0, piped.err);
    for (const want of [`behind it: user ${user} (last 2024-01-02T09:56:10Z)\n`, `article: ${title} (r.md)\n`, `user:${user} `, `user:"${user}"'\n`]) assert.ok(piped.out.includes(want), `a pipe gets the bytes as stored: ${JSON.stringify(want)} in ${JSON.stringify(piped.out)}`);

    // in this process: --escape always does not depend on what stdout is
    const always = await run([...common, '--escape', 'always', 'ip:10.0.2.93']);
    assert.equal(always.code, 0, always.err);
    assert.ok(!always.out.includes(ESC) && !always.out.includes('\u009b') && !always.out.includes('\x07'), JSON.stringify(always.out));
    for (const want of [`behind it: user ${userShown} (last 2024-01-02T09:56:10Z)\n`, 'article: Report \\x1b]0;PWNED\\x07\\x1b[2J\\x9b2J on 10.0.2.93 (r.md)\n', `user:${userShown} `, `user:"${userShown}"'\n`]) assert.ok(always.out.includes(want), `${JSON.stringify(want)} in ${JSON.stringify(always.out)}`);

    const scope = await run([...common, '--scope', '--escape', 'always', 'ip:10.0.2.92']);
    assert.equal(scope.code, 0, scope.err);
    assert.match(scope.out, /ip:10\.0\.2\.93 +1 shared {2}user r\\x1b\]0;pwned\\x07\\x9b2j \(last 2024-01-02T09:56:10Z\)\n/);
    assert.ok(!scope.out.includes(ESC), JSON.stringify(scope.out));

    const json = await run([...common, '--json', '--escape', 'always', 'ip:10.0.2.93']);
    assert.equal(json.code, 0, json.err);
    assert.deepEqual((JSON.parse(json.out) as { identity: { users: string[] } }).identity.users, [user]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pivotTable and scopeTable: the current holder first with times, the earlier one bracketed; counts a range cuts an hour of shown as N-Mx~; why a host ranks first', () => {
  const t = (hm: string): number => Date.parse(`2026-12-02T${hm}:00Z`);
  const identity = {
    macs: ['bb:02', 'aa:01'],
    users: ['newuser', 'olduser'],
    hosts: ['ws-new', 'ws-old'],
    since: t('10:20'),
    seen: [
      { kind: 'mac' as const, name: 'bb:02', first: t('10:20'), last: t('10:20') },
      { kind: 'mac' as const, name: 'aa:01', first: t('09:50'), last: t('10:10'), earlier: true as const },
      { kind: 'user' as const, name: 'newuser', first: t('10:21'), last: t('10:21') },
      { kind: 'user' as const, name: 'olduser', first: t('09:55'), last: t('10:05'), earlier: true as const },
      { kind: 'host' as const, name: 'ws-new', first: t('10:20'), last: t('10:20') },
      { kind: 'host' as const, name: 'ws-old', first: t('09:50'), last: t('09:50'), earlier: true as const },
    ],
  };
  const neighbour = { entity: 'ip:195.184.63.228', count: 0, countMax: 1, first: t('10:31'), last: t('10:33'), blocklist: [], articles: 0, evidence: { q: 'ip:10.0.7.7 ip:195.184.63.228', from: t('10:31'), to: t('10:33') + 1 } };
  const out = pivotTable({ entity: 'ip:10.0.7.7', from: t('10:31'), to: t('10:34'), blocklist: [], articles: [], identity, groups: [{ relation: 'flow', direction: 'out', total: 1, neighbours: [neighbour] }], periods: 1, exactRange: { from: t('10:00'), to: t('11:00') }, tookMs: 1 });
  assert.ok(
    out.includes(
      'behind it: user newuser (last 2026-12-02T10:21:00Z); host ws-new (last 2026-12-02T10:20:00Z); mac bb:02 (last 2026-12-02T10:20:00Z); [earlier: user olduser (last 2026-12-02T10:05:00Z); host ws-old (last 2026-12-02T09:50:00Z); mac aa:01 (last 2026-12-02T10:10:00Z)]\n',
    ),
    out,
  );
  assert.match(out, /\n {5}0-1x~ {2}ip:195\.184\.63\.228 +2026-12-02T10:31:00Z \.\. 2026-12-02T10:33:00Z\n/);
  assert.match(out, /N-Mx~: the range cuts an hour/);
  // how to get exact counts: the whole hours the range cuts, ready to paste
  assert.match(out, /\nOver whole hours every count is exact: --from 2026-12-02T10:00:00Z --to 2026-12-02T11:00:00Z \(relations of those hours/);
  // the range cut the hour still running: up to now, whose counts still grow (11:00 had not come)
  const running = pivotTable({ entity: 'ip:10.0.7.7', from: t('10:31'), to: t('10:34'), blocklist: [], articles: [], identity, groups: [{ relation: 'flow', direction: 'out', total: 1, neighbours: [neighbour] }], periods: 1, exactRange: { from: t('10:00'), to: null }, tookMs: 1 });
  assert.match(running, /\nOver whole hours every count is exact: --from 2026-12-02T10:00:00Z \(up to now, no --to: the current hour's counts still grow as lines come in; relations of those hours outside the range join it\)\.\n/);
  const scope = scopeTable({
    entity: 'ip:10.0.2.43', from: null, to: null, destinations: 31, common: 0, skipped: 0, unexamined: 0, totalHosts: 1, tookMs: 1,
    hosts: [{ entity: 'ip:10.0.7.7', score: 5.67, shared: 1, sharedBlocklisted: 1, why: 'reached blocklisted ip:195.184.63.228 too: ranked before hosts that share no blocklisted destination', destinations: [{ entity: 'ip:195.184.63.228', sources: 2, blocklisted: true }], identity: null, identityOmitted: false }],
  });
  assert.match(scope, /blocklisted destination of it too come first/);
  assert.match(scope, /why first: reached blocklisted ip:195\.184\.63\.228 too/);
  // a scanner that hit one address: "1 destinations" before
  const one = scopeTable({ entity: 'ip:152.193.46.16', from: null, to: null, destinations: 1, common: 0, skipped: 0, unexamined: 0, totalHosts: 0, tookMs: 1, hosts: [] });
  assert.match(one, /^scope of impact of ip:152\.193\.46\.16: 1 destination, 0 too common to tell\n/);
});

test("nml pivot with a demo configuration flags the demo's command-and-control domains as GET /api/pivot does (the built-in list)", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-pivot-demo-'));
  try {
    const c2 = DEMO_C2_DOMAINS[0]!;
    const lines = [
      `<30>2024-01-02T09:58:00Z dns-02 dnsmasq[1433]: query[A] ${c2} from 10.0.2.50`,
      `<30>2024-01-02T09:59:00Z dns-02 dnsmasq[1433]: query[A] ${c2} from 10.0.2.50`,
      `<30>2024-01-02T09:59:30Z dns-02 dnsmasq[1433]: query[A] ${c2} from 10.0.2.51`,
      '<30>2024-01-02T09:59:40Z dns-02 dnsmasq[1433]: query[A] www.example.com from 10.0.2.50',
    ];
    const data = join(dir, 'd');
    const ingest = runCliSync(['ingest', '--data', data, '--no-progress'], { input: lines.join('\n') + '\n' });
    assert.equal(ingest.code, 0, ingest.err);
    const demoConfig = join(dir, 'demo.json');
    writeFileSync(demoConfig, JSON.stringify({ demo: { enabled: true } }));
    const range = { from: '2024-01-02T00:00:00Z', to: '2024-01-03T00:00:00Z' };
    const cli = async (...args: string[]): Promise<PivotResult & ScopeResult> => {
      const r = await run(['pivot', '--data', data, '--json', '--from', range.from, '--to', range.to, ...args]);
      assert.equal(r.code, 0, r.err);
      return JSON.parse(r.out);
    };
    // which neighbour each group flags, and as what; the scope's hosts and their blocklisted destinations
    const flagged = (p: PivotResult) => p.groups.flatMap((g) => g.neighbours.filter((n) => n.blocklist.length > 0).map((n) => [g.relation, n.entity, n.blocklist]));
    const scoped = (s: ScopeResult) => s.hosts.map((h) => [h.entity, h.sharedBlocklisted]);

    const mine = await cli('--config', demoConfig, 'ip:10.0.2.50');
    assert.deepEqual(flagged(mine), [['query', `domain:${c2}`, [{ indicator: c2, list: 'demo-threat-feed' }]]]);
    const myScope = await cli('--config', demoConfig, '--scope', 'ip:10.0.2.50');
    assert.deepEqual(scoped(myScope), [['ip:10.0.2.51', 1]]);
    // until 2026-12 nml pivot held no built-in list: its pivot flagged nothing, as it still does without the demo
    assert.deepEqual(flagged(await cli('ip:10.0.2.50')), []);

    // the page's API over the same data, its investigator opened as the node opens it
    const opened = openInvestigator(resolveConfig({ dataDir: data, demo: { enabled: true, rate: 200 } }), false);
    await opened.ready;
    const app = await buildApp(fakeDeps({ investigator: opened.investigator }));
    try {
      const q = `from=${range.from}&to=${range.to}`;
      const page = await app.inject({ method: 'GET', url: `/api/pivot?entity=ip:10.0.2.50&${q}`, headers: AUTH });
      assert.equal(page.statusCode, 200, page.body);
      assert.deepEqual(flagged(page.json()), flagged(mine));
      assert.deepEqual({ ...(page.json() as object), tookMs: 0 }, { ...mine, tookMs: 0 }, 'the whole answer is the API\'s');
      const scope = await app.inject({ method: 'GET', url: `/api/pivot/scope?entity=ip:10.0.2.50&${q}`, headers: AUTH });
      assert.equal(scope.statusCode, 200, scope.body);
      assert.deepEqual(scoped(scope.json()), scoped(myScope));
    } finally {
      await app.close();
      opened.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml pivot and --scope say when no blocklist is loaded (the demo feed is held by its server alone), and nothing when one is', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-pivot-nobl-'));
  try {
    seedData(dir);
    const range = ['--from', '2024-01-02T00:00:00Z', '--to', '2024-01-03T00:00:00Z'];
    const bare = await run(['pivot', '--data', dir, ...range, 'ip:10.0.2.91']);
    assert.equal(bare.code, 0, bare.err);
    // before, a pivot with no blocklist looked the same as one whose neighbours are on none
    assert.match(bare.out, /^ip:10\.0\.2\.91\n.*\n {2}\(no blocklist loaded: .*blocklists does not exist, so no blocklist hit can be shown; put blocklist files .* --blocklists DIR\)\n/);
    assert.doesNotMatch(bare.out, /serve --demo/);
    const scope = await run(['pivot', '--data', dir, ...range, '--scope', 'ip:10.0.2.91']);
    assert.equal(scope.code, 0, scope.err);
    assert.match(scope.out, /^scope of impact of ip:10\.0\.2\.91: .*\n {2}\(no blocklist loaded: .*\)\n {2}by score:\n/);
    assert.doesNotMatch(scope.out, /blocklisted destination of it too come first/, 'no host can come first for a blocklist that is not there');
    // a directory nml serve --demo ran on (its capture under demo/): the page flags the demo's C2 domains, this cannot
    mkdirSync(join(dir, 'demo'));
    const demo = await run(['pivot', '--data', dir, ...range, 'ip:10.0.2.91']);
    assert.match(demo.out, /be shown; nml serve --demo's built-in feed \(demo-threat-feed\) comes with its configuration: pass --config FILE with demo\.enabled to see it;/);
    const listed = await run(['pivot', '--data', dir, ...range, '--blocklists', join(FIXTURES, 'blocklists'), 'ip:10.0.2.91']);
    assert.equal(listed.code, 0, listed.err);
    assert.doesNotMatch(listed.out, /no blocklist loaded/);
    const listedScope = await run(['pivot', '--data', dir, ...range, '--blocklists', join(FIXTURES, 'blocklists'), '--scope', 'ip:10.0.2.91']);
    assert.match(listedScope.out, /blocklisted destination of it too come first/);
    assert.doesNotMatch(listedScope.out, /no blocklist loaded/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
