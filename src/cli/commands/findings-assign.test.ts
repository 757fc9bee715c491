/** `nml findings assign` and `list --assignee`: the Alerts page's "Assign to me" for a shell, checked against the web UI's users. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliSync } from '../testing.js';
import { FindingsStore, type NewFinding } from '../../detect/index.js';
import { UserStore } from '../../serve/users/index.js';
import { FAST_SCRYPT } from '../../serve/users/testing.js';

const nml = (args: string[]) => runCliSync(args, { input: '' });
const finding = (detector: string, entity: string, score = 0.99): NewFinding => ({
  detector, entity, score, threshold: 0.9, modelVersion: 'test', time: 1_700_000_000_000, explanation: { summary: 'x', detail: null }, evidence: { query: entity, from: 0, to: 1 },
});

test('nml findings assign: to a user of users.db (the status stays), --clear, all that match; list --assignee and the rows say whose', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findings-assign-'));
  try {
    const store = new FindingsStore(join(dir, 'findings.db'));
    store.record([finding('url', 'url:evil.example/a'), finding('url', 'url:evil.example/b', 0.95), finding('syn', 'ip:203.0.113.9')]);
    const id = (entity: string) => store.list({ limit: 10 }).findings.find((f) => f.entity === entity)!.id;
    const [a, b, c] = [id('url:evil.example/a'), id('url:evil.example/b'), id('ip:203.0.113.9')];
    store.triage(a, 'acknowledged', 'on it', 'dave');
    store.close();
    const d = ['--data', dir];

    // no users.db yet: nobody to assign to, said so
    const noUsers = nml(['findings', 'assign', String(a), '--to', 'carol', ...d]);
    assert.equal(noUsers.code, 2, noUsers.err);
    assert.match(noUsers.err, /^nml: findings assign: .* has no users\.db, so there is no user to assign to; 'nml user add' or 'nml serve' creates it/);
    const users = new UserStore(join(dir, 'users.db'), { scrypt: FAST_SCRYPT });
    await users.add('carol', 'carol-password-1');
    users.close();

    const one = nml(['findings', 'assign', String(a), '--to', 'carol', '--by', 'dave', ...d]);
    assert.equal(one.code, 0, one.err);
    assert.equal(one.out, `finding ${a} (url url:evil.example/a) is now assigned to carol\n`);
    assert.match(nml(['findings', 'assign', String(a), '--to', 'carol', ...d]).out, /was already assigned to carol/);
    const unknown = nml(['findings', 'assign', String(b), '--to', 'carl', ...d]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /^nml: findings assign: no user 'carl' in .*users\.db; 'nml user list' names them, or --clear assigns to nobody\n$/);
    assert.match(nml(['findings', 'assign', String(b), ...d]).err, /give --to NAME \(a user\) or --clear \(nobody\), one of them/);
    assert.match(nml(['findings', 'assign', String(b), '--to', 'carol', '--clear', ...d]).err, /one of them/);
    assert.match(nml(['findings', 'assign', String(b), '--to', 'carol', '--detector', 'url', ...d]).err, /choose findings for 'all'/);
    const missing = nml(['findings', 'assign', `${b},9999`, '--to', 'carol', ...d]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /no finding with id 9999 \(the others were assigned\)/);

    // the rows say whose; the status is the one dave set
    const list = nml(['findings', 'list', ...d]);
    assert.match(list.out, new RegExp(`${a} +acknowledged .*url:evil\\.example/a \\(dave [^)]*: on it\\)  assigned to carol\\n`));
    assert.deepEqual(nml(['findings', 'list', '--assignee', 'carol', '--json', ...d]).out.trim().split('\n').map((l) => (JSON.parse(l) as { id: number }).id).sort(), [a, b].sort());
    assert.deepEqual(nml(['findings', 'list', '--assignee', 'none', '--json', ...d]).out.trim().split('\n').map((l) => (JSON.parse(l) as { id: number }).id), [c]);
    const history = nml(['findings', 'history', String(a), ...d]);
    assert.match(history.out, /acknowledged +by dave: on it\n.*acknowledged +assigned to carol by dave\n$/);

    // all that match: carol's URL findings to nobody
    const all = nml(['findings', 'assign', 'all', '--clear', '--assignee', 'carol', '--detector', 'url', ...d]);
    assert.equal(all.code, 0, all.err);
    assert.equal(all.out, '2 findings now unassigned\n');
    assert.equal(nml(['findings', 'list', '--assignee', 'carol', ...d]).out, '');
    assert.match(nml(['findings', 'history', String(b), ...d]).out, /unassigned by cli:\S+\n$/);
    // set all takes the new filters too
    const set = nml(['findings', 'set', 'all', 'resolved', '--assignee', 'none', '--triaged-since', '-1h', ...d]);
    assert.equal(set.out, '1 finding now resolved\n', set.err);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("nml findings assign refuses a viewer, saying why; nml user del unassigns the findings of the user removed, each history saying so; 'me' and 'none' are no new names", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findings-assign-'));
  try {
    const store = new FindingsStore(join(dir, 'findings.db'));
    store.record([finding('url', 'url:evil.example/a'), finding('url', 'url:evil.example/b', 0.95)]);
    const [a, b] = store.list({ sort: 'id', limit: 10 }).findings.map((f) => f.id).reverse() as [number, number];
    store.close();
    const users = new UserStore(join(dir, 'users.db'), { scrypt: FAST_SCRYPT });
    await users.add('carol', 'carol-password-1');
    await users.add('vera', 'vera-password-1', 'viewer');
    users.close();
    const d = ['--data', dir];

    const viewer = nml(['findings', 'assign', String(a), '--to', 'vera', ...d]);
    assert.equal(viewer.code, 2, viewer.err);
    assert.match(viewer.err, /^nml: findings assign: 'vera' has the viewer role, which reads only: .*assign it to an analyst or an admin, or have an admin give 'vera' the analyst role \(Users page, or 'nml user role vera analyst'\)\n$/);
    assert.equal(nml(['findings', 'list', '--assignee', 'none', ...d]).out.trim().split('\n').length, 2, 'nothing assigned');

    assert.equal(nml(['findings', 'assign', `${a},${b}`, '--to', 'carol', ...d]).code, 0);
    const del = nml(['user', 'del', 'carol', ...d]);
    assert.equal(del.code, 0, del.err);
    assert.equal(del.out, 'user carol removed; 2 findings assigned to carol now unassigned\n');
    assert.equal(nml(['findings', 'list', '--assignee', 'carol', ...d]).out, '');
    assert.match(nml(['findings', 'history', String(a), ...d]).out, /assigned to carol by cli:\S+\n.*open +unassigned: user carol removed by cli:\S+\n$/);
    assert.equal(nml(['user', 'del', 'vera', ...d]).out, 'user vera removed\n', 'none of hers: nothing more said');

    for (const name of ['me', 'none']) {
      const add = runCliSync(['user', 'add', name, '--password-stdin', ...d], { input: 'a-long-password-1\n' });
      assert.equal(add.code, 2, add.err);
      assert.match(add.err, new RegExp(`^nml: user: '${name}' is reserved \\(the findings filter assignee=${name} means .+\\); choose another name\\n$`));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml user role NAME viewer unassigns the findings of the user made a viewer, each history saying so; another role leaves them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-findings-assign-'));
  try {
    const store = new FindingsStore(join(dir, 'findings.db'));
    store.record([finding('url', 'url:evil.example/a'), finding('url', 'url:evil.example/b', 0.95)]);
    const [a, b] = store.list({ sort: 'id', limit: 10 }).findings.map((f) => f.id).reverse() as [number, number];
    store.close();
    const users = new UserStore(join(dir, 'users.db'), { scrypt: FAST_SCRYPT });
    await users.add('carol', 'carol-password-1');
    await users.add('boss', 'boss-password-1', 'admin');
    users.close();
    const d = ['--data', dir];

    assert.equal(nml(['findings', 'assign', `${a},${b}`, '--to', 'carol', ...d]).code, 0);
    assert.equal(nml(['user', 'role', 'carol', 'admin', ...d]).out, 'user carol is now an admin\n', 'an admin keeps them');
    assert.equal(nml(['findings', 'list', '--assignee', 'carol', ...d]).out.trim().split('\n').length, 2);
    const demote = nml(['user', 'role', 'carol', 'viewer', ...d]);
    assert.equal(demote.code, 0, demote.err);
    assert.equal(demote.out, 'user carol is now a viewer (reads only); 2 findings assigned to carol now unassigned\n');
    assert.equal(nml(['findings', 'list', '--assignee', 'carol', ...d]).out, '');
    assert.match(nml(['findings', 'history', String(a), ...d]).out, /assigned to carol by cli:\S+\n.*open +unassigned: user carol made a viewer by cli:\S+\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
