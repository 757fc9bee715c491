import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess, seedRelations as seedData } from '../testing.js';
import { investigateFixtures } from '../../investigate/testing.js';

const FIXTURES = investigateFixtures();

const run = runInProcess;

test('nml pivot prints neighbours as a table or JSON, and scope with --scope', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-pivot-cli-'));
  try {
    seedData(dir);
    const common = ['--data', dir, '--blocklists', join(FIXTURES, 'blocklists'), '--articles', join(FIXTURES, 'articles'), '--from', '2024-01-02T00:00:00Z', '--to', '2024-01-03T00:00:00Z'];
    const table = await run(['pivot', ...common, 'ip:10.0.2.91']);
    assert.equal(table.code, 0, table.err);
    assert.match(table.out, /^ip:10\.0\.2\.91\n {2}behind it: user alice; host ws-alice; mac 00:11:22:33:44:91\n/);
    assert.match(table.out, /flow → \(2\)\n +2 {2}ip:198\.51\.100\.66 +2024-01-02T10:00:02Z \.\. 2024-01-02T10:00:32Z {2}BLOCKLISTED corp-deny/);
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

test('nml pivot: a bad entity is a usage error; a directory without relations says so', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-pivot-cli-'));
  try {
    const none = await run(['pivot', '--data', dir, 'ip:10.0.0.1']);
    assert.equal(none.code, 1);
    assert.match(none.err, /no relation index/);
    const badFirst = await run(['pivot', '--data', dir, 'bogus:thing']);
    assert.equal(badFirst.code, 2, 'the mistyped entity is told first, not the empty directory');
    assert.match(badFirst.err, /entity 'bogus:thing' has no known type/);
    const typo = await run(['pivot', '--data', dir, '--blocklists', join(dir, 'no-such-folder'), 'ip:10.0.0.1']);
    assert.equal(typo.code, 2);
    assert.match(typo.err, /--blocklists .*no-such-folder is not a folder/);
    seedData(dir);
    const bad = await run(['pivot', '--data', dir, 'ip:10.0.0.300']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /nml: pivot: entity 'ip:10\.0\.0\.300' is not an ipv4 or ipv6 address/i);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
