/** `nml train syn` on one's own captures: labels read strictly, a missing labels file said as such, a recorded command that trains the model again. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { REPO_ROOT, runCli } from '../testing.js';
import { ownSynCaptures, SYN_HOSTS_HEADER } from '../../detect/syn/testing.js';
import { trainSynCommand } from './train-syn.js';



test('train syn on own captures with a mistyped or numeric label stops, naming the file, line and value; no model is written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-train-syn-labels-'));
  try {
    const own = ownSynCaptures(dir, { labels: (s, c) => [SYN_HOSTS_HEADER, `captures/mine.pcap,${s},64,64,1,malicous,masscan-syn-scan,`, `captures/mine.pcap,${c},64,5,1,1,normal-client,`] });
    const out = join(dir, 'm.json');
    const r = await runCli(['train', 'syn', '--datasets', own, '--epochs', '1', '--synthetic', '1', '--out', out]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /syn-more\/hosts\.csv: 2 rows not usable \(line 2: label "malicous" is none of malicious, benign, ambiguous; line 3: label "1" is none of/);
    assert.equal(existsSync(out), false);
    // the published layout cut to three columns: category is named as missing, not read from an absent column
    writeFileSync(join(own, 'syn-more', 'hosts.csv'), 'file,src_ip,label\ncaptures/mine.pcap,10.0.0.1,malicious\n');
    const three = await runCli(['train', 'syn', '--datasets', own, '--epochs', '1', '--synthetic', '1', '--out', out]);
    assert.equal(three.code, 2, three.err);
    assert.match(three.err, /hosts\.csv: the header \(line 1\) has no column category/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('train syn on captures without their hosts.csv says the labels file is missing and where it was looked for', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-train-syn-nolabels-'));
  try {
    const own = ownSynCaptures(dir, { labels: null });
    const r = await runCli(['train', 'syn', '--datasets', own, '--epochs', '1', '--out', join(dir, 'm.json')]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /captures is there but its labels file is not: looked for .*own\/syn-more\/hosts\.csv, which must hold a header naming file, src_ip, label and category/);
    assert.doesNotMatch(r.err, /no real capture/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the command recorded in a model trained on own captures names their folder (--datasets or NML_DATASETS), --out and --model-version, and trains the same model again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-train-syn-cmd-'));
  try {
    ownSynCaptures(dir);
    // relative to the folder the command runs in (the repository: the test runs nml from its sources there)
    const own = relative(REPO_ROOT, join(dir, 'own'));
    const out = relative(REPO_ROOT, join(dir, 'm.json'));
    const t = await runCli(['train', 'syn', '--datasets', own, '--epochs', '1', '--synthetic', '1', '--seed', '2', '--out', out, '--model-version', 'mine-1']);
    assert.equal(t.code, 0, t.err);
    const first = readFileSync(join(dir, 'm.json'), 'utf8');
    const { command } = JSON.parse(first) as { command: string };
    assert.equal(command, `nml train syn --datasets ${own} --out ${out} --seed 2 --epochs 1 --patience 3 --synthetic 1 --variant fields+stats+bag --threshold 0.5 --model-version mine-1`);
    // run again as recorded (no word needs quoting here), with NML_DATASETS pointing elsewhere: the same file but for its creation time
    const again = await runCli(command.split(' ').slice(1), { env: { ...process.env, NML_DATASETS: join(dir, 'elsewhere') } });
    assert.equal(again.code, 0, again.err);
    const strip = (text: string): string => text.replace(/"trainedAt":"[^"]*"/, '');
    assert.ok(strip(readFileSync(join(dir, 'm.json'), 'utf8')) === strip(first), 'the recorded command trains the same model');
    // data found through NML_DATASETS: named as the variable before the command, as nml train url records it
    const e = relative(REPO_ROOT, join(dir, 'e.json'));
    const env = await runCli(['train', 'syn', '--epochs', '1', '--synthetic', '1', '--out', e, '--model-version', 'mine-2'], { env: { ...process.env, NML_DATASETS: join(dir, 'own') } });
    assert.equal(env.code, 0, env.err);
    assert.equal((JSON.parse(readFileSync(join(dir, 'e.json'), 'utf8')) as { command: string }).command, `NML_DATASETS=${join(dir, 'own')} nml train syn --out ${e} --seed 1 --epochs 1 --patience 3 --synthetic 1 --variant fields+stats+bag --threshold 0.5 --model-version mine-2`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the recorded command: default data unnamed, options that change the model named, words a shell would split quoted', () => {
  const f = { datasets: '../shared/datasets', out: 'models/syn/model.json', seed: 1, epochs: 12, patience: 3, synthetic: 10, variant: 'fields+stats+bag' as const, modelVersion: 'syn-x', threshold: 0.95, portPrior: true, syntheticStacks: 'shared' as const };
  const none = { datasets: false, out: false };
  assert.equal(trainSynCommand(f, none, {}), 'nml train syn --seed 1 --epochs 12 --patience 3 --synthetic 10 --variant fields+stats+bag --threshold 0.95 --model-version syn-x');
  assert.equal(
    trainSynCommand({ ...f, datasets: "my data/it's", out: 'out dir/m.json', portPrior: false, syntheticStacks: 'real', syntheticOnly: true }, { datasets: true, out: true }, { NML_DATASETS: '/srv/d' }),
    `nml train syn --datasets 'my data/it'\\''s' --out 'out dir/m.json' --seed 1 --epochs 12 --patience 3 --synthetic 10 --variant fields+stats+bag --threshold 0.95 --no-port-prior --synthetic-stacks real --synthetic-only --model-version syn-x`,
    '--datasets wins over the variable',
  );
  assert.equal(trainSynCommand(f, none, { NML_DATASETS: '/srv/own data' }), `NML_DATASETS='/srv/own data' nml train syn --seed 1 --epochs 12 --patience 3 --synthetic 10 --variant fields+stats+bag --threshold 0.95 --model-version syn-x`);
});
