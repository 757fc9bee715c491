import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { datasetsDefault } from './datasets-dir.js';
import { commandLine, defaultDataDir } from './detect-url-flags.js';
import { runCli } from '../testing.js';

test('NML_DATASETS is the default datasets folder when set and not blank; else ../shared/datasets', () => {
  assert.equal(datasetsDefault({ NML_DATASETS: '/srv/datasets' }), '/srv/datasets');
  assert.equal(datasetsDefault({ NML_DATASETS: '  ' }), '../shared/datasets');
  assert.equal(datasetsDefault({}), '../shared/datasets');
  assert.equal(defaultDataDir({ NML_DATASETS: '/srv/datasets' }), resolve('/srv/datasets'));
});

test('every command that reads the shared datasets takes NML_DATASETS as its default', async () => {
  const env = { ...process.env, NML_DATASETS: '/srv/nml-datasets-test' };
  for (const cmd of [['train', 'syn'], ['eval', 'syn'], ['eval', 'assist'], ['assist', 'import'], ['trends', 'train'], ['trends', 'eval']]) {
    const r = await runCli([...cmd, '--help'], { env });
    assert.equal(r.code, 0, `${cmd.join(' ')}: ${r.err}`);
    // commander wraps the help: compare with the lines joined
    assert.match(r.out.replace(/\s+/g, ' '), /--datasets <dir> [^"]*\(default: "\/srv\/nml-datasets-test"\)/, `${cmd.join(' ')} --help:\n${r.out}`);
  }
});

test('the command a URL model records names NML_DATASETS when the data came from it, so that it reproduces the run', () => {
  const argv = ['train', 'url', '--seed', '1'];
  assert.equal(commandLine(argv, {}), 'nml train url --seed 1');
  assert.equal(commandLine(argv, { NML_DATASETS: '/srv/own-data' }), 'NML_DATASETS=/srv/own-data nml train url --seed 1');
  assert.equal(commandLine([...argv, '--data-dir', '/x'], { NML_DATASETS: '/srv/own-data' }), 'nml train url --seed 1 --data-dir /x', '--data-dir wins over the variable');
  assert.equal(commandLine([...argv, '--data-dir=/x'], { NML_DATASETS: '/srv/own-data' }), 'nml train url --seed 1 --data-dir=/x');
});
