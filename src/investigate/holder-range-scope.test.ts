/**
 * Review 118: an address that changed hands names its holder at the time asked about first, with times;
 * a range that cuts an hour of the relation index never claims more lines than it may hold; and scope
 * ranks the hosts that reached a blocklisted destination first.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RelationIndex, RelationWriter, RELATIONS_DIR } from '../store/index.js';
import { Blocklists } from './blocklists.js';
import { Investigator } from './investigator.js';
import { byLines } from './line-order.js';
import { investigateFixtures } from './testing.js';

const at = (hm: string): number => Date.parse(`2026-12-02T${hm}:00Z`);
const C2 = 'ip:198.51.100.66'; // on the fixtures' corp-deny list

/** The reviewer's incident (review 118) as relation lines, for `withLines`. */
function incidentLines(): [string, string, string, string][] {
  const ip = 'ip:10.0.7.7';
  const lines: [string, string, string, string][] = [
    // 10.0.7.7 leased to ws-old (olduser) 09:50–10:10, then to ws-new (newuser) from 10:20
    ['09:50', 'lease', ip, 'mac:aa:00:00:00:00:01'],
    ['09:50', 'hostname', 'mac:aa:00:00:00:00:01', 'host:ws-old'],
    ['09:55', 'login', ip, 'user:olduser'],
    ['10:05', 'login', ip, 'user:olduser'],
    ['10:10', 'lease', ip, 'mac:aa:00:00:00:00:01'],
    ['10:20', 'lease', ip, 'mac:bb:00:00:00:00:02'],
    ['10:20', 'hostname', 'mac:bb:00:00:00:00:02', 'host:ws-new'],
    ['10:21', 'login', ip, 'user:newuser'],
    // three connections to the C2 address, and two to another at 10:05 and 10:55
    ['10:30', 'flow', ip, C2],
    ['10:35', 'flow', ip, C2],
    ['10:40', 'flow', ip, C2],
    ['10:05', 'flow', ip, 'ip:192.0.2.10'],
    ['10:55', 'flow', ip, 'ip:192.0.2.10'],
    // the infected host reached the C2 and 30 ordinary sites, which five coworkers reached too
    ['10:30', 'flow', 'ip:10.0.2.43', C2],
  ];
  for (let s = 0; s < 30; s++) {
    lines.push(['10:45', 'flow', 'ip:10.0.2.43', `ip:192.0.2.${100 + s}`]);
    for (let c = 1; c <= 5; c++) lines.push(['10:46', 'flow', `ip:10.0.3.${c}`, `ip:192.0.2.${100 + s}`]);
  }
  return lines;
}

const withIncident = (fn: (inv: Investigator) => void): Promise<void> => withLines(incidentLines(), fn);

test('behind it: the holder at the time asked about first, each name with when it was last seen, the earlier holder marked', async () => {
  await withIncident((inv) => {
    const id = inv.pivot('ip:10.0.7.7', { from: at('10:25'), to: at('10:50') }).identity;
    assert.ok(id !== null);
    assert.deepEqual(id.users, ['newuser', 'olduser']);
    assert.deepEqual(id.hosts, ['ws-new', 'ws-old']);
    assert.deepEqual(id.macs, ['bb:00:00:00:00:02', 'aa:00:00:00:00:01']);
    assert.equal(id.since, at('10:20'));
    const seen = new Map((id.seen ?? []).map((s) => [s.name, s]));
    assert.equal(seen.get('newuser')?.last, at('10:21'));
    assert.equal(seen.get('newuser')?.earlier, undefined);
    assert.equal(seen.get('olduser')?.last, at('10:05'));
    assert.equal(seen.get('olduser')?.earlier, true);
    assert.equal(seen.get('ws-old')?.earlier, true);
    assert.equal(seen.get('aa:00:00:00:00:01')?.earlier, true);
    // asked about 10:00–10:15 (before the lease changed hands), the old holder is the current one
    const before = inv.identity('ip:10.0.7.7', { from: at('10:00'), to: at('10:15') });
    assert.deepEqual(before.users, ['olduser']);
    assert.deepEqual(before.hosts, ['ws-old']);
    assert.equal((before.seen ?? []).some((s) => s.earlier === true), false);
  });
});

test('a range that cuts an hour of the index: counts never claim more than the range may hold, times and evidence stay inside it', async () => {
  await withIncident((inv) => {
    const flowsIn = (from: string, to: string) => inv.pivot('ip:10.0.7.7', { from: at(from), to: at(to) }).groups.find((g) => g.relation === 'flow' && g.direction === 'out')?.neighbours ?? [];
    // 10:31–10:34 holds none of the three lines (10:30, 10:35, 10:40): none for sure, the middle one may
    const [c2] = flowsIn('10:31', '10:34').filter((n) => n.entity === C2);
    assert.ok(c2 !== undefined);
    assert.equal(c2.count, 0);
    assert.equal(c2.countMax, 1);
    assert.ok(c2.first >= at('10:31') && c2.last < at('10:34'), `${new Date(c2.first).toISOString()} .. ${new Date(c2.last).toISOString()}`);
    assert.ok(c2.evidence.from >= at('10:31') && c2.evidence.to <= at('10:34'));
    // two lines, at 10:05 and 10:55, are known exactly: none lies in 10:31–10:34
    assert.equal(flowsIn('10:31', '10:34').some((n) => n.entity === 'ip:192.0.2.10'), false);
    // 10:30–10:36 holds the first line for sure and may hold the other two... the last is at 10:40, outside
    const [part] = flowsIn('10:30', '10:36').filter((n) => n.entity === C2);
    assert.equal(part?.count, 1);
    assert.equal(part?.countMax, 2);
    assert.equal(part?.first, at('10:30'));
    // a range that cuts the hour but holds the first and the last line holds every line between: exact
    const [within] = flowsIn('10:25', '10:50').filter((n) => n.entity === C2);
    assert.deepEqual([within?.count, within?.countMax], [3, undefined]);
    // the whole hour: exact, no countMax
    const [whole] = flowsIn('10:00', '11:00').filter((n) => n.entity === C2);
    assert.deepEqual([whole?.count, whole?.countMax, whole?.first, whole?.last], [3, undefined, at('10:30'), at('10:40')]);
  });
});

test('a range that cuts an hour: a neighbour that may have many lines ranks by them (kept under the limit), and the answer names the whole hours that count exactly', async () => {
  const ip = 'ip:10.8.8.8';
  const lines: [string, string, string, string][] = [];
  for (const t of ['10:31', '10:31', '10:32', '10:32', '10:33', '10:33']) lines.push([t, 'flow', ip, 'ip:192.0.2.6']);
  // one line inside 10:30–10:45 for sure, 40 more at 10:50: the index knows only the hour's first and last
  lines.push(['10:31', 'flow', ip, 'ip:203.0.113.9']);
  for (let i = 0; i < 40; i++) lines.push(['10:50', 'flow', ip, 'ip:203.0.113.9']);
  await withLines(lines, (inv) => {
    const cut = inv.pivot(ip, { from: at('10:30'), to: at('10:45') });
    const flows = (p: typeof cut) => (p.groups.find((g) => g.relation === 'flow')?.neighbours ?? []).map((n) => `${n.entity} ${n.count}${n.countMax === undefined ? '' : `-${n.countMax}`}`);
    // an exact 6 above "1–40" buried a relation that may be large, and the limit cut it
    assert.deepEqual(flows(cut), ['ip:203.0.113.9 1-40', 'ip:192.0.2.6 6']);
    assert.deepEqual(flows(inv.pivot(ip, { from: at('10:30'), to: at('10:45') }, 1)), ['ip:203.0.113.9 1-40']);
    assert.deepEqual(cut.exactRange, { from: at('10:00'), to: at('11:00') });
    const whole = inv.pivot(ip, { from: at('10:00'), to: at('11:00') });
    assert.deepEqual(flows(whole), ['ip:203.0.113.9 41', 'ip:192.0.2.6 6']);
    assert.equal(whole.exactRange, undefined, 'every count exact: nothing to widen');
    // an open end (up to now) cuts nothing at that end
    assert.deepEqual(inv.pivot(ip, { from: at('10:30'), to: null }).exactRange, undefined, 'up to now: the hour from 10:30 holds both lines of each, exact');
  });
  // the same lines while it is 10:52: the range cuts the hour still running, whose end (11:00) has not
  // come; up to now counts every line of it so far
  await withLines(
    lines,
    (inv) => {
      const cut = inv.pivot(ip, { from: at('10:30'), to: at('10:45') });
      assert.deepEqual(cut.exactRange, { from: at('10:00'), to: null }, 'widened to now, not to 11:00');
      const upToNow = inv.pivot(ip, { from: at('10:00'), to: null });
      assert.deepEqual((upToNow.groups.find((g) => g.relation === 'flow')?.neighbours ?? []).map((n) => [n.entity, n.count, n.countMax]), [
        ['ip:203.0.113.9', 41, undefined],
        ['ip:192.0.2.6', 6, undefined],
      ]);
    },
    at('10:52'),
  );
  // of two that may be as large, the surer first
  assert.deepEqual([{ count: 1, countMax: 1003 }, { count: 6 }, { count: 1003 }].sort(byLines), [{ count: 1003 }, { count: 1, countMax: 1003 }, { count: 6 }]);
});

test('scope: a host that reached a blocklisted destination ranks first, and says why', async () => {
  await withIncident((inv) => {
    const s = inv.scope('ip:10.0.2.43', { from: at('10:00'), to: at('11:00') }, 3);
    assert.equal(s.totalHosts, 6);
    assert.equal(s.hosts[0]?.entity, 'ip:10.0.7.7', JSON.stringify(s.hosts.map((h) => [h.entity, h.score])));
    assert.equal(s.hosts[0]?.sharedBlocklisted, 1);
    assert.match(s.hosts[0]?.why ?? '', /blocklisted ip:198\.51\.100\.66/);
    // the coworkers score higher (30 shared sites) but come after it
    assert.ok((s.hosts[1]?.score ?? 0) > (s.hosts[0]?.score ?? 0));
    assert.match(s.hosts[1]?.why ?? '', /no blocklisted one: ranked by score/);
  });
});

/** An index of these relation lines (`[time, kind, from, to]`), its investigator handed to `fn`. */
async function withLines(lines: [string, string, string, string][], fn: (inv: Investigator) => void, now?: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nml-rev125-'));
  const w = new RelationWriter({ dir: join(dir, RELATIONS_DIR), lane: 0, periodMs: 3_600_000, maxOpen: 8 });
  w.append(lines.map(([time, kind, from, to]) => ({ time: at(time), relations: [{ kind, from, to }] })));
  w.closeAll();
  const relations = new RelationIndex(dir);
  const inv = new Investigator({ relations, blocklists: new Blocklists(join(investigateFixtures(), 'blocklists')), ...(now === undefined ? {} : { now: () => now }) });
  try {
    await inv.reload();
    fn(inv);
  } finally {
    inv.close();
    relations.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('behind it, review 125: a lease that went A → B → A starts A\'s tenure at its return, so B\'s user is earlier; so do logons without DHCP', async () => {
  const ip = 'ip:10.9.9.9';
  await withLines(
    [
      ['08:00', 'lease', ip, 'mac:aa:00:00:00:00:01'],
      ['08:05', 'login', ip, 'user:alice'],
      ['10:00', 'lease', ip, 'mac:bb:00:00:00:00:02'],
      ['10:05', 'login', ip, 'user:mallory'],
      ['12:00', 'lease', ip, 'mac:aa:00:00:00:00:01'],
      ['12:05', 'login', ip, 'user:alice'],
    ],
    (inv) => {
      const id = inv.identity(ip, { from: at('07:00'), to: at('13:00') });
      assert.equal(id.since, at('12:00'));
      assert.deepEqual(id.users, ['alice', 'mallory']);
      assert.deepEqual((id.seen ?? []).filter((s) => s.earlier === true).map((s) => s.name), ['bb:00:00:00:00:02', 'mallory']);
      // asked about 11:00, B held it: alice (08:05) is the earlier one
      const mid = inv.identity(ip, { from: at('07:00'), to: at('11:00') });
      assert.equal(mid.since, at('10:00'));
      assert.deepEqual((mid.seen ?? []).filter((s) => s.earlier === true).map((s) => s.name), ['aa:00:00:00:00:01', 'alice']);
    },
  );
  await withLines(
    [
      ['08:05', 'login', ip, 'user:carol'],
      ['10:05', 'login', ip, 'user:dave'],
      ['12:05', 'login', ip, 'user:carol'],
    ],
    (inv) => {
      const id = inv.identity(ip, { from: at('07:00'), to: at('13:00') });
      assert.deepEqual(id.users, ['carol', 'dave']);
      assert.deepEqual((id.seen ?? []).filter((s) => s.earlier === true).map((s) => s.name), ['dave']);
    },
  );
});

test('behind it, review 125: a range that cuts an hour invents no sighting: the holder is the one whose lease is known, times are real', async () => {
  const ip = 'ip:10.9.9.8';
  await withLines(
    [
      ['16:00', 'lease', ip, 'mac:aa:00:00:00:00:01'],
      ['16:10', 'lease', ip, 'mac:aa:00:00:00:00:01'],
      ['16:20', 'lease', ip, 'mac:bb:00:00:00:00:02'],
      ['16:50', 'lease', ip, 'mac:aa:00:00:00:00:01'],
    ],
    (inv) => {
      const id = inv.identity(ip, { from: at('15:00'), to: at('16:40') });
      assert.deepEqual(id.macs, ['bb:00:00:00:00:02', 'aa:00:00:00:00:01']);
      const last = new Map((id.seen ?? []).map((s) => [s.name, s.last]));
      assert.equal(last.get('bb:00:00:00:00:02'), at('16:20'));
      assert.equal(last.get('aa:00:00:00:00:01'), at('16:00'), 'a time a lease was seen, not the range end (16:39:59.999)');
    },
  );
});

test('scope, review 125: a blocklisted destination many hosts reached is never too common: they are listed first', async () => {
  const lines: [string, string, string, string][] = [['10:01', 'flow', 'ip:10.77.0.1', C2], ['10:02', 'flow', 'ip:10.77.0.1', 'ip:198.18.0.200'], ['10:03', 'flow', 'ip:10.77.0.3', 'ip:198.18.0.200']];
  for (let i = 2; i <= 122; i++) if (i !== 3) lines.push(['10:05', 'flow', `ip:10.77.${i >> 8}.${i & 255}`, C2]);
  await withLines(lines, (inv) => {
    const s = inv.scope('ip:10.77.0.1', { from: at('10:00'), to: at('11:00') }, 200);
    const listed = s.hosts.map((h) => h.entity);
    assert.ok(listed.includes('ip:10.77.0.2'), listed.slice(0, 5).join(' '));
    const flagged = s.hosts.filter((h) => h.sharedBlocklisted > 0).map((h) => h.entity);
    assert.equal(flagged.length, 120, `every host that reached the blocklisted address: ${flagged.filter((e) => ['ip:10.77.0.1', 'ip:10.77.0.3'].includes(e)).join(' ')} ${flagged.length}`);
    assert.equal(s.hosts.at(-1)?.entity, 'ip:10.77.0.3', 'the one sharing only an ordinary destination comes last');
  });
});
