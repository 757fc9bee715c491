/**
 * Writing to stdout with backpressure. When the reader goes away (`| head`, EPIPE) the output is
 * closed: writeOut does nothing more, and the command runs on to its own end, closing what it opened
 * (locks, databases) and exiting with its own status; a long command can stop early through
 * outputClosed(). Any other write error (`> /dev/full`, ENOSPC) is said in one line and makes the
 * exit status 1.
 */
import { Option } from 'commander';

let closed = false;
const waiting = new Set<() => void>();

/** True once stdout cannot be written any more (its reader went away, or a write failed). */
export function outputClosed(): boolean {
  return closed;
}

export function writeOut(text: string | Uint8Array): Promise<void> {
  if (closed) return Promise.resolve();
  return new Promise((resolve) => {
    if (process.stdout.write(text)) {
      resolve();
      return;
    }
    const done = (): void => {
      process.stdout.off('drain', done);
      waiting.delete(done);
      resolve();
    };
    process.stdout.once('drain', done);
    // a write that fails never drains: the error handler releases the writer
    waiting.add(done);
  });
}

/**
 * Resolves after the event loop has turned once: a write that failed on a file (`> /dev/full`) has said so by
 * then (its error comes on the next tick), and outputClosed() is true. Not a wait for the rows to be read:
 * a pipe's reader may be slower, and EPIPE is silent anyway.
 */
export function flushOut(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Exported for tests; installed on process.stdout below. */
export function onOutputError(e: NodeJS.ErrnoException): void {
  if (!closed) {
    closed = true;
    if (e.code !== 'EPIPE') {
      process.stderr.write(`nml: cannot write output: ${e.message}\n`);
      if (typeof process.exitCode !== 'number' || process.exitCode === 0) process.exitCode = 1;
    }
  }
  for (const done of [...waiting]) done();
}

process.stdout.on('error', onOutputError);

/**
 * Logged text is written by whoever can send a syslog line: printed raw to a terminal, its escape
 * sequences would drive the operator's terminal (set its title, clear it, write the clipboard with
 * OSC 52). On a terminal every C0 control but tab, DEL and every C1 control is shown as `\xNN`, as
 * journalctl and less show them; into a pipe or a file the bytes stay exact (scripts rely on them)
 * unless `--escape always` asks otherwise.
 */
export const ESCAPE_MODES = ['auto', 'always', 'never'] as const;
export type EscapeMode = (typeof ESCAPE_MODES)[number];

const CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/** `text` with its control characters (but tab) shown as `\xNN`. */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const CONTROLS_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * A message for stderr: on a terminal its control characters but tab and newline are shown as `\xNN`.
 * Error messages quote what they were given (a path, a query, a URL, a log line), which an attacker can
 * write; an escape sequence there would otherwise drive the operator's terminal.
 */
export function errText(text: string, tty: boolean = process.stderr.isTTY === true): string {
  return tty ? text.replace(CONTROLS_BUT_LINES, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`) : text;
}

/** Text that must stay on one line (an entity, a reference, a snippet): line breaks and tabs become a space. */
export const oneLine = (s: string): string => s.replace(/[\r\n\t]+/g, ' ');

/** How the human-readable lines of a command are shown: escaped on a terminal (auto), always, or never. */
export function shownText(mode: EscapeMode = 'auto', tty: boolean = process.stdout.isTTY === true): (text: string) => string {
  return mode === 'always' || (mode === 'auto' && tty) ? escapeControls : (text) => text;
}

/** `--escape <when>` for a command that prints logged text. */
export function escapeOption(): Option {
  return new Option('--escape <when>', 'show control characters of logged text as \\xNN: auto (when stdout is a terminal), always, never')
    .choices(ESCAPE_MODES)
    .default('auto');
}
