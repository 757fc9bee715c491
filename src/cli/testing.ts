/**
 * Test support for the CLI and for fixture files: runs `nml` in a child process (the test runner owns
 * this process's stdout), from the sources under tsx or from dist/ after a build, and finds fixtures
 * from the repository root either way.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractRelations, parseLine } from '../parse/index.js';
import { RelationWriter, RELATIONS_DIR } from '../store/index.js';
import { PACKAGE_ROOT } from '../version.js';

const FROM_SOURCE = import.meta.url.endsWith('.ts');
const ENTRY = join(PACKAGE_ROOT, FROM_SOURCE ? 'src/cli/entry.ts' : 'dist/src/cli/entry.js');
const LOADER = FROM_SOURCE ? ['--import', 'tsx'] : [];

export const REPO_ROOT = PACKAGE_ROOT;

/** `test/fixtures/<area>` in the repository. */
export function fixturesDir(area: string): string {
  return join(PACKAGE_ROOT, 'test', 'fixtures', area);
}

/** Fills a data directory's relation index from the seed incident's lines (2024-01-02), as the writer lanes would. */
export function seedRelations(dir: string): void {
  const w = new RelationWriter({ dir: join(dir, RELATIONS_DIR), lane: 0, periodMs: 3_600_000, maxOpen: 4 });
  const lines = readFileSync(join(fixturesDir('investigate'), 'seed-incident.log'), 'utf8').trim().split('\n');
  w.append(
    lines.map((line) => {
      const ev = parseLine({ line, receivedAt: Date.UTC(2024, 0, 2, 12), source: 'test' });
      return { time: ev.time, relations: extractRelations(ev) };
    }),
  );
  w.closeAll();
}

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** The node arguments that run `nml <args>` (for a test that starts node itself, e.g. under a shell's limits). */
export function argv(args: string[]): string[] {
  return [...LOADER, ENTRY, ...args];
}

/** `nml <args>` as one shell command line, each word single-quoted (for a test that runs it in a pipeline or under script(1)). */
export function shellCommand(args: string[]): string {
  return [process.execPath, ...argv(args)].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
}

/** Runs `nml <args>` synchronously with `input` on stdin (no terminal). */
export function runCliSync(args: string[], opts: { input?: string | Buffer; cwd?: string; timeoutMs?: number } = {}): CliRun {
  const r = spawnSync(process.execPath, argv(args), { input: opts.input ?? '', encoding: 'utf8', cwd: opts.cwd ?? PACKAGE_ROOT, timeout: opts.timeoutMs ?? 120_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** Runs `nml <args>` without blocking the event loop (for tests that serve fixtures in-process). */
export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, argv(args), { cwd: opts.cwd ?? PACKAGE_ROOT, env: opts.env ?? process.env, maxBuffer: 64 * 1024 * 1024 }, (e, out, err) => {
      resolve({ code: e === null ? 0 : typeof e.code === 'number' ? e.code : 1, out, err });
    });
  });
}

/**
 * Starts `nml <args>` and lets a test act on what it writes to stderr while it runs: `stderrMatch(re)`
 * resolves once stderr matches (rejects if the command ends first); `kill(signal)` sends it a signal
 * (nothing once it has ended); `done` gives the whole run. `input`, when given, is written to its stdin,
 * which is left open: the command is still reading when the test acts (without it, stdin is empty).
 */
export function startCli(args: string[], opts: { cwd?: string; input?: string } = {}): { stderrMatch(re: RegExp): Promise<void>; kill(signal: NodeJS.Signals): void; done: Promise<CliRun> } {
  const child = spawn(process.execPath, argv(args), { cwd: opts.cwd ?? PACKAGE_ROOT, stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  // a command that ends before reading all of it closes the pipe: not the test's failure to report here
  if (opts.input !== undefined) child.stdin!.on('error', () => undefined).write(opts.input);
  let out = '';
  let err = '';
  const waiting: { re: RegExp; resolve(): void; reject(e: Error): void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err += d;
    for (const w of waiting.splice(0).filter((x) => (x.re.test(err) ? (x.resolve(), false) : true))) waiting.push(w);
  });
  const done = new Promise<CliRun>((resolve) => {
    child.on('close', (code) => {
      for (const w of waiting.splice(0)) w.reject(new Error(`nml ${args.join(' ')} ended before stderr matched ${w.re}: ${err}`));
      resolve({ code: code ?? -1, out, err });
    });
  });
  const stderrMatch = (re: RegExp): Promise<void> =>
    re.test(err) ? Promise.resolve() : new Promise<void>((resolve, reject) => waiting.push({ re, resolve, reject }));
  const kill = (signal: NodeJS.Signals): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  return { stderrMatch, kill, done };
}

/**
 * Runs `nml <args>` with stdout a pipe whose reader is gone before the command writes (`nml … | true`,
 * `| head` having read its fill), or with stdout the file `stdoutFile` (`/dev/full`). Gives the exit
 * status and stderr.
 */
export function runCliClosedStdout(args: string[], opts: { cwd?: string; stdoutFile?: string } = {}): Promise<{ code: number; err: string }> {
  const fd = opts.stdoutFile === undefined ? null : openSync(opts.stdoutFile, 'w');
  const child = spawn(process.execPath, argv(args), { cwd: opts.cwd ?? PACKAGE_ROOT, stdio: ['ignore', fd ?? 'pipe', 'pipe'] });
  if (fd !== null) closeSync(fd);
  // the read end closed at once: the child, still loading, meets EPIPE on its first write
  child.stdout?.destroy();
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, err })));
}

/**
 * Runs `nml <args>` in this process, capturing what the command writes as strings (the test runner's
 * own frames, written as buffers, pass through); the exit status the command sets does not leak out,
 * and one set before (the test runner sets 1 when a test fails) does not leak in: main() reads
 * process.exitCode, so after one failed test every later run here read 1, failures that were not.
 */
export async function runInProcess(args: string[]): Promise<CliRun> {
  const { main } = await import('./main.js');
  const before = process.exitCode;
  process.exitCode = undefined;
  let out = '';
  let err = '';
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string | Uint8Array, ...rest: never[]) => (typeof s === 'string' ? ((out += s), true) : write(s, ...rest))) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array, ...rest: never[]) => (typeof s === 'string' ? ((err += s), true) : writeErr(s, ...rest))) as typeof process.stderr.write;
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
    process.exitCode = before;
  }
}
