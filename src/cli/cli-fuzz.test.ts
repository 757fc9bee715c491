/**
 * Bad arguments never crash `nml`: every leaf command, found by walking the commander program itself
 * (a command added later is fuzzed without touching this file), is run in this process with generated
 * bad arguments (unknown flags; each option with no value, an empty, negative, huge, wrong-typed or
 * control-character value, a missing path, a folder, /dev/null, a bad time) and each positional argument
 * likewise. Whatever the outcome, the exit status is 0, 1 or 2 and stderr holds no stack trace: an
 * error is one `nml: …` line or commander's `error: …`. The few runs that read stdin are spawned with
 * an empty one. Everything reads and writes under a temporary folder (--data, --datasets, --out, --models).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command, Option } from 'commander';
import { FindingsStore } from '../detect/index.js';
import { Catalog } from '../store/index.js';
import { buildProgram } from './main.js';
import { runCliSync, runInProcess, type CliRun } from './testing.js';

const tmp = mkdtempSync(join(tmpdir(), 'nml-fuzz-'));
const data = join(tmp, 'data');
const datasets = join(tmp, 'datasets');
const emptyModels = join(tmp, 'models');
mkdirSync(data);
mkdirSync(datasets);
mkdirSync(emptyModels);
new Catalog(data, 60_000).close();
new FindingsStore(join(data, 'findings.db')).close();
const logFile = join(tmp, 'a.log');
writeFileSync(logFile, 'Jan  2 12:00:00 host sshd[1]: Failed password for root from 192.0.2.7 port 22 ssh2\n');
const unreadable = join(tmp, 'unreadable.log');
writeFileSync(unreadable, 'x\n');
chmodSync(unreadable, 0o000);
const sources = join(tmp, 'sources.json');
writeFileSync(sources, '{"sources": []}\n');
// a command's defaults read these when its flag is left out: never the real data or datasets
process.env['NML_DATA'] = data;
// a relative path among the values (`--out abc`, `--data ''`) lands here, not in the checkout
process.chdir(tmp);
process.env['NML_DATASETS'] = datasets;

/**
 * What the fuzz leaves alone, and why: serve listens until stopped; `--interface` captures from a real
 * network interface for --seconds (tcpdump); `--password-stdin` and `-` read stdin (spawned below).
 */
const SKIP_COMMANDS = new Set(['serve']);
const SKIP_OPTIONS = new Set(['--interface', '--password-stdin']);

/** Safe values every run gets for the options that name data, datasets or where results go. */
function baseArgs(path: string[], cmd: Command, n: number): string[] {
  const has = (long: string): boolean => cmd.options.some((o) => o.long === long);
  const args: string[] = [];
  if (has('--data')) args.push('--data', data);
  if (has('--datasets')) args.push('--datasets', datasets);
  if (has('--out')) args.push('--out', join(tmp, 'out', String(n), path.at(-1) === 'url' && path[0] === 'train' ? 'model' : 'report.md'));
  if (has('--report')) args.push('--report', join(tmp, 'out', String(n), 'report.md'));
  if (has('--models') && path[0] === 'trends') args.push('--models', path[1] === 'train' ? join(tmp, 'out', String(n), 'models') : emptyModels);
  if (has('--sources')) args.push('--sources', sources);
  if (has('--once')) args.push('--once');
  return args;
}

/** A plausible value for each positional argument, by the command it belongs to. */
function positional(path: string[], name: string): string {
  if (path[0] === 'score' && path[1] === 'url') return 'http://example.com/';
  if (path[0] === 'pivot') return 'ip:192.0.2.7';
  if (path[0] === 'findings') return name === 'status' ? 'resolved' : '1';
  if (path[0] === 'user') return name === 'role' ? 'analyst' : 'alice';
  if (/file/.test(name)) return logFile;
  return 'sshd';
}

const CONTROL = 'a\x1b]52;c;eA==\x07b\r\nc\x7f\x9bd';
const HUGE = 'x'.repeat(100_000);
/** Bad values any option or argument may get. */
const ANY_VALUES = ['', '-1', '1e400', 'abc', CONTROL, HUGE, '--'];
/** More for what names a file or folder. */
const PATH_VALUES = [join(tmp, 'no', 'such'), tmp, '/dev/null', join(logFile, 'below'), ...(process.getuid?.() === 0 ? [] : [unreadable])];
/** More for what is a time. */
const TIME_VALUES = ['-15x', '-99999999999999d', '2024-13-45T99:00:00Z', '2017/10/17/99/*'];

function valuesFor(name: string): string[] {
  if (/file|dir|path|sources|calendar|blocklists|articles|models?$|out|report|cert|key|follow|pcap/i.test(name)) return [...ANY_VALUES, ...PATH_VALUES];
  if (/time|from|to$|split|date/i.test(name)) return [...ANY_VALUES, ...TIME_VALUES];
  return ANY_VALUES;
}

interface Leaf {
  path: string[];
  cmd: Command;
}

function leaves(cmd: Command, path: string[] = []): Leaf[] {
  if (cmd.commands.length === 0) return [{ path, cmd }];
  return cmd.commands.filter((c) => !SKIP_COMMANDS.has(c.name())).flatMap((c) => leaves(c, [...path, c.name()]));
}

/** Every bad command line for one leaf command: one thing wrong at a time on otherwise safe arguments. */
function casesFor({ path, cmd }: Leaf, n: () => number): string[][] {
  const args = cmd.registeredArguments.map((a) => positional(path, a.name()));
  const line = (extra: string[], pos = args): string[] => [...path, ...baseArgs(path, cmd, n()), ...extra, ...pos];
  const cases: string[][] = [line(['--no-such-flag']), line(['-Z']), line([], [...args, 'extra', 'more'])];
  const required = cmd.registeredArguments.filter((a) => a.required).length;
  if (required > 0) cases.push(line([], []));
  cmd.registeredArguments.forEach((a, i) => {
    // `--` in the place of the only positional ends the options and leaves none: stdin, read by the spawned runs below
    for (const v of valuesFor(a.name()).filter((x) => x !== '--')) cases.push(line([], args.map((x, j) => (j === i ? v : x))));
  });
  for (const o of cmd.options as Option[]) {
    const flag = o.long ?? o.short!;
    if (SKIP_OPTIONS.has(flag) || flag === '--once') continue;
    if (!o.required && !o.optional) {
      cases.push(line([`${flag}=yes`]));
      continue;
    }
    // the option last, with no value; the option twice
    cases.push([...line([], args), flag]);
    for (const v of valuesFor(o.attributeName())) cases.push(line([flag, v]));
  }
  return cases;
}

/** What a run that went wrong looks like; null when it is fine. */
function fault(r: CliRun): string | null {
  if (![0, 1, 2].includes(r.code)) return `exit status ${r.code}`;
  if (/\n\s+at .+[:(]/.test(r.err)) return 'a stack trace on stderr';
  if (/internal error/.test(r.err)) return 'an internal error';
  const foreign = r.err.split('\n').find((l) => /^(\w*Error\b|TypeError|RangeError|SyntaxError|ReferenceError|AssertionError)/.test(l));
  if (foreign !== undefined) return `an uncaught error on stderr: ${foreign}`;
  if (r.code !== 0 && r.err !== '' && !/^(nml: |error: )/.test(r.err)) return 'an error that does not start with "nml:" or "error:"';
  if (r.code !== 0 && r.err === '') return 'a failure with nothing on stderr';
  return null;
}

function shown(args: string[]): string {
  return `nml ${args.map((a) => (a.length > 60 ? `${JSON.stringify(a.slice(0, 20))}…(${a.length} chars)` : JSON.stringify(a))).join(' ')}`;
}

const program = await buildProgram([]);
const all = leaves(program);

test('the walk finds every command of the program, subcommands as leaves', () => {
  const names = all.map((l) => l.path.join(' '));
  for (const name of ['ingest', 'search', 'user add', 'findings set', 'score url', 'score syn', 'trends collect', 'eval assist']) assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
  assert.ok(!names.includes('serve'));
});

test('bad arguments to every command: exit 0, 1 or 2 and a one-line error, never a stack trace', { timeout: 600_000 }, async () => {
  let count = 0;
  const faults: string[] = [];
  for (const leaf of all) {
    for (const args of casesFor(leaf, () => count)) {
      count++;
      const r = await runInProcess(args);
      const why = fault(r);
      if (why !== null) faults.push(`${shown(args)}: ${why} (exit ${r.code}): ${r.err.slice(0, 400)}`);
    }
  }
  assert.deepEqual(faults, [], `${faults.length} of ${count} runs went wrong`);
  assert.ok(count > 500, `runs: ${count}`);
});

test('bad input on stdin to the commands that read it: a clear error, never a stack trace', () => {
  const inputs = ['', CONTROL, '\x00\x01\x02\xff\xfe', '\n\n\n'];
  const lines = [
    ['ingest', '--data', data, '--no-progress'],
    ['ingest', '--data', data, '--no-progress', '-'],
    ['score', 'url'],
    ['score', 'syn', '-'],
    ['assist', 'normalize', '-'],
    ['assist', 'ask', '--data', data, '--report', '-', 'what is this?'],
    ['user', 'add', 'bob', '--data', data, '--password-stdin'],
  ];
  const faults: string[] = [];
  for (const args of lines) {
    for (const input of inputs) {
      const r = runCliSync(args, { input });
      const why = fault(r);
      if (why !== null) faults.push(`${JSON.stringify(input)} | ${shown(args)}: ${why} (exit ${r.code}): ${r.err.slice(0, 400)}`);
    }
  }
  assert.deepEqual(faults, []);
});

after(() => rmSync(tmp, { recursive: true, force: true }));
