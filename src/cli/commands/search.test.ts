/** `nml search`: a logged line's escape sequences reach a terminal shown as \xNN, and a pipe byte for byte. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCliSync } from '../testing.js';

const ESC = '\x1b';
// set the window title, clear the screen, write the clipboard (OSC 52), and a C1 CSI
const line = `Nov 30 10:00:01 host1 sshd[1]: Failed password for root from 203.0.113.5 ${ESC}]0;PWNED${ESC}\\${ESC}[2J${ESC}]52;c;ZWNobw==\x07 \u009b2J done`;
const shown = 'from 203.0.113.5 \\x1b]0;PWNED\\x1b\\\\x1b[2J\\x1b]52;c;ZWNobw==\\x07 \\x9b2J done';
const hasScript = spawnSync('script', ['--version']).status === 0;

test('search: control characters of a logged line escaped on a terminal and with --escape always; exact into a pipe; --json left JSON-escaped', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-search-esc-'));
  try {
    const data = join(dir, 'd');
    const ingest = runCliSync(['ingest', '--data', data, '--no-progress'], { input: line + '\n' });
    assert.equal(ingest.code, 0, ingest.err);

    const piped = runCliSync(['search', '--data', data]);
    assert.equal(piped.code, 0, piped.err);
    assert.equal(piped.out, line + '\n', 'a pipe gets the bytes as stored');

    const always = runCliSync(['search', '--escape', 'always', '--data', data]);
    assert.equal(always.code, 0, always.err);
    assert.ok(always.out.endsWith(shown + '\n') && !always.out.includes(ESC), JSON.stringify(always.out));

    const json = runCliSync(['search', '--json', '--data', data]);
    assert.equal((JSON.parse(json.out) as { raw: string }).raw, line);

    assert.equal(runCliSync(['search', '--escape', 'sometimes', '--data', data]).code, 2, 'an unknown --escape is bad input');

    if (hasScript) {
      const fromSource = import.meta.url.endsWith('.ts');
      const cmd = [process.execPath, ...(fromSource ? ['--import', 'tsx'] : []), join(REPO_ROOT, fromSource ? 'src/cli/entry.ts' : 'dist/src/cli/entry.js'), 'search', '--data', data]
        .map((a) => `'${a.replaceAll("'", "'\\''")}'`)
        .join(' ');
      const tty = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: REPO_ROOT, input: '', encoding: 'utf8', timeout: 60_000 });
      assert.equal(tty.status, 0, tty.stderr);
      assert.ok(tty.stdout.includes(shown) && !tty.stdout.includes(ESC), `a terminal, without being asked: ${JSON.stringify(tty.stdout)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
