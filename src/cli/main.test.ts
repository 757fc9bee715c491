import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandsFor } from './main.js';
import { runCli } from './testing.js';

test('only the command named is loaded; help, no name and a mistyped name load them all', () => {
  assert.equal(commandsFor(['findings', 'list', '--data', 'x']).length, 1);
  assert.equal(commandsFor(['help', 'search']).length, 1);
  const all = commandsFor([]).length;
  assert.ok(all >= 14, `every command: ${all}`);
  assert.equal(commandsFor(['--help']).length, all);
  assert.equal(commandsFor(['serch', 'x']).length, all);
  // an option's value that happens to be a command's name does not pick it
  assert.equal(commandsFor(['--version', 'search']).length, all);
});

test('a mistyped command still gets its suggestion, and the top-level help lists every command', async () => {
  const [bad, help] = await Promise.all([runCli(['serch', 'sshd']), runCli(['--help'])]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown command 'serch'[\s\S]*search/);
  assert.equal(help.code, 0);
  for (const name of ['serve', 'ingest', 'search', 'count', 'stats', 'user', 'token', 'findings', 'assist', 'train', 'eval', 'score', 'pivot', 'trends']) {
    assert.match(help.out, new RegExp(`^\\s+${name}\\b`, 'm'), `${name} is listed`);
  }
});

test("--data reads the same in every command's help, with where the directory comes from when it is not given", async () => {
  const commands = [['serve'], ['ingest'], ['search'], ['count'], ['stats'], ['user', 'list'], ['token', 'rotate'], ['findings', 'list'], ['assist', 'similar'], ['pivot'], ['trends', 'predict']];
  const runs = await Promise.all(commands.map((c) => runCli([...c, '--help'])));
  runs.forEach((r, i) => {
    assert.equal(r.code, 0, `${commands[i]!.join(' ')}: ${r.err}`);
    assert.match(r.out.replace(/\s+/g, ' '), /--data <dir> data directory \(default: \$NML_DATA, else dataDir in --config, else \.\/nml-data\)/, commands[i]!.join(' '));
  });
});
