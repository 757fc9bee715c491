/**
 * `nml user add|passwd|del|list --data DIR`: the web UI's users in `<data>/users.db`. A password is
 * read from the terminal without echo (asked twice), or from stdin with `--password-stdin`; never from
 * an argument, where `ps` and shell history would keep it. Works beside a running server (SQLite WAL);
 * a new password ends that user's sessions at once. `list` only reads (a disk mounted read-only too).
 */
import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { AppError } from '../../core/index.js';
import { checkPassword, checkRole, checkUserName, ROLES, userNotFound, UserStore, type Role, type User } from '../../serve/users/index.js';
import type { UnassignCause } from '../../detect/index.js';
import { accessError, openForReading } from '../../store/index.js';
import { isDirectory, loadConfig, type CommonFlags, DATA_HELP } from '../open.js';
import { recordCliAudit } from '../audit-record.js';

interface UserFlags extends CommonFlags {
  passwordStdin?: boolean;
  role?: string;
  json?: boolean;
  createData?: boolean;
}

/** The first line of a stream (stdin), without its line ending. */
export async function readFirstLine(stream: NodeJS.ReadableStream): Promise<string> {
  // bytes first, decoded once: a character split between two chunks stays whole, and bytes that are
  // not UTF-8 are an error rather than a password of replacement characters nobody can type
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    chunks.push(b);
    if (b.includes(10)) break;
  }
  const all = Buffer.concat(chunks);
  const nl = all.indexOf(10);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(nl < 0 ? all : all.subarray(0, nl));
  } catch {
    throw new AppError('USER_PASSWORD_INPUT', 'bad_request', 'user: the password read from stdin is not valid UTF-8; send it as UTF-8 text');
  }
  return text.replace(/\r$/, '');
}

/** What promptHidden needs of a terminal: process.stdin, or a fake one in tests. */
export interface HiddenInput {
  setRawMode(on: boolean): unknown;
  setEncoding(enc: 'utf8'): unknown;
  resume(): unknown;
  pause(): unknown;
  on(event: 'data', fn: (chunk: string) => void): unknown;
  off(event: 'data', fn: (chunk: string) => void): unknown;
}

/**
 * Reads lines from the terminal with echo off, one per call; Ctrl-C or Ctrl-D aborts. What arrives
 * after a line's end in the same chunk (both passwords typed ahead, or pasted at once) is kept for the
 * next call, not dropped: the second prompt does not wait for keys already sent.
 */
export function hiddenPrompter(input: HiddenInput = process.stdin as unknown as HiddenInput, out: { write(s: string): unknown } = process.stderr): (prompt: string) => Promise<string> {
  let pending = '';
  // a CR ended the last line: an LF right after it (CR LF) is part of that end, not an empty line
  let afterCr = false;
  return (prompt) => {
    out.write(prompt);
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.resume();
    return new Promise((resolvePw, reject) => {
      let buf = '';
      const finish = (): void => {
        input.setRawMode(false);
        input.pause();
        input.off('data', onData);
        out.write('\n');
      };
      /** true once the line ended (or was cancelled); what follows its end is kept in `pending` */
      const consume = (chunk: string): boolean => {
        let at = 0;
        for (const ch of chunk) {
          at += ch.length;
          const skip = afterCr && ch === '\n';
          afterCr = false;
          if (skip) continue;
          if (ch === '\r' || ch === '\n') {
            afterCr = ch === '\r';
            pending = chunk.slice(at);
            finish();
            resolvePw(buf);
            return true;
          }
          if (ch === '\u0003' || ch === '\u0004') {
            pending = '';
            finish();
            reject(new AppError('USER_PASSWORD_INPUT', 'bad_request', 'user: password entry cancelled'));
            return true;
          }
          if (ch === '\u007f' || ch === '\b') buf = buf.slice(0, -1);
          else buf += ch;
        }
        return false;
      };
      const onData = (chunk: string): void => {
        consume(chunk);
      };
      input.on('data', onData);
      const ahead = pending;
      pending = '';
      if (ahead !== '') consume(ahead);
    });
  };
}

async function readNewPassword(flags: UserFlags, name: string): Promise<string> {
  if (flags.passwordStdin === true) return checkPassword(await readFirstLine(process.stdin));
  if (!process.stdin.isTTY) {
    throw new AppError('USER_PASSWORD_INPUT', 'bad_request', 'user: no terminal to ask the password on; pipe it in with --password-stdin');
  }
  const promptHidden = hiddenPrompter();
  const first = checkPassword(await promptHidden(`new password for ${name}: `));
  const again = await promptHidden('again: ');
  if (first !== again) throw new AppError('USER_PASSWORD_INPUT', 'bad_request', 'user: the two passwords differ; nothing was changed');
  return first;
}

function usersDb(flags: CommonFlags): string {
  return join(resolve(loadConfig(flags).dataDir), 'users.db');
}

/**
 * `nml user add` writes into an existing data directory, as `nml token rotate` does: a mistyped --data
 * would otherwise make a new folder with a users.db the server never reads. `--create-data` makes it
 * (users added before the first `nml serve`).
 */
function requireDataDir(flags: UserFlags): void {
  const dir = resolve(loadConfig(flags).dataDir);
  const exists = existsSync(dir);
  if (exists ? statSync(dir).isDirectory() : flags.createData === true) return;
  // a file there is no folder to make
  throw notDataDir(dir, exists ? '' : ', or add --create-data to make it');
}

/** USER_DATA_MISSING: a --data that is not a directory is a mistyped path (exit 2); `also`: what else to do. */
function notDataDir(dir: string, also = ''): AppError {
  return new AppError('USER_DATA_MISSING', 'bad_request', `user: ${dir} is not a data directory; give --data the folder nml serve uses${also}`, { dataDir: dir });
}

/** `<data>/users.db`, which must exist unless `create`. */
function usersPath(flags: CommonFlags, create: boolean): string {
  const dir = resolve(loadConfig(flags).dataDir);
  if (!create && !existsSync(join(dir, 'users.db'))) {
    // a folder without users yet is not a mistyped path (exit 1)
    if (!isDirectory(dir)) throw notDataDir(dir);
    throw new AppError('USER_NOT_FOUND', 'not_found', `user: ${dir} has no users.db yet; 'nml user add' or 'nml serve' creates it`, { dataDir: dir });
  }
  return join(dir, 'users.db');
}

/**
 * A users.db that cannot be got at (a read-only mount, permissions) is said so, with what to do: the
 * file is fine, and moving it aside (the advice for a damaged one) would throw every account away.
 */
const accessFailure = (e: unknown, path: string, write: boolean): unknown => accessError(e, path, write, 'USER_DB_UNAVAILABLE', 'user');

async function withUsers<T>(flags: CommonFlags, create: boolean, fn: (users: UserStore) => Promise<T> | T): Promise<T> {
  const path = usersPath(flags, create);
  let users: UserStore;
  try {
    users = new UserStore(path);
  } catch (e) {
    throw accessFailure(e, path, true);
  }
  try {
    return await fn(users);
  } catch (e) {
    throw accessFailure(e, path, true);
  } finally {
    users.close();
  }
}

/** The users, read without writing anything (a disk mounted read-only, a server running beside). */
export function listUsers(flags: CommonFlags): User[] {
  return readUsersDb(flags, (db) => {
    // an empty file (nml serve never got to make the tables) has no users yet
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'users'").get() === undefined) return [];
    return db.prepare('SELECT name, role, created, updated FROM users ORDER BY name').all() as User[];
  });
}

/** `fn` on `<data>/users.db` opened read-only (`nml user list`, `nml audit`), its failures said as the user store says them. */
export function readUsersDb<T>(flags: CommonFlags, fn: (db: Database.Database) => T): T {
  const path = usersPath(flags, false);
  let db: Database.Database | null = null;
  try {
    db = openForReading(path);
    return fn(db);
  } catch (e) {
    const access = accessFailure(e, path, false);
    if (access !== e) throw access;
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string' || !/^SQLITE_(NOTADB|CORRUPT)/.test(code)) throw e;
    // as the store says it: a file that is not a database (or a damaged one)
    throw new AppError('USER_DB_UNAVAILABLE', 'unavailable', `user: ${path} is not a readable user database (${(e as Error).message}); restore it from a backup, or move it aside and start nml again, which creates 'admin' with a new password`, { path }, e);
  } finally {
    db?.close();
  }
}

/** `fn` on the store once `name` is known to be a user there (USER_NOT_FOUND, exit 1, before a password is asked for). */
function withUser<T>(flags: CommonFlags, name: string, fn: (users: UserStore) => Promise<T> | T): Promise<T> {
  return withUsers(flags, false, (u) => {
    if (u.get(name) === null) throw userNotFound(name);
    return fn(u);
  });
}

const common = (cmd: Command): Command => cmd.option('--data <dir>', DATA_HELP).option('--config <file>', 'JSON configuration file');

/** Unassigns the findings of `name` (removed or made a viewer) as this shell's user; how many. */
async function unassignFindings(flags: CommonFlags, name: string, cause: UnassignCause): Promise<number> {
  // loaded here only, as findings assign loads this module
  const { unassignUserFindings } = await import('./findings.js');
  return unassignUserFindings(flags, name, `cli:${userInfo().username}`, cause);
}

/** `; 2 findings assigned to carol now unassigned`, or '' for none. */
const unassignedText = (n: number, name: string): string => (n === 0 ? '' : `; ${n} finding${n === 1 ? '' : 's'} assigned to ${name} now unassigned`);

export function registerUser(program: Command): void {
  const user = program.command('user').description("the web UI's users: add, passwd, role, del, list");

  common(user.command('add <name>'))
    .description('add a user (asks for the password)')
    .option('--role <role>', `${ROLES.join(' or ')} (default analyst)`)
    .option('--password-stdin', 'read the password from the first line of stdin')
    .option('--create-data', 'make the data directory if it does not exist (before the first nml serve); without it, a --data that does not exist is refused')
    .action(async (name: string, flags: UserFlags) => {
      checkUserName(name);
      requireDataDir(flags);
      const role = (flags.role ?? 'analyst') as Role;
      if (!ROLES.includes(role)) throw new AppError('USER_ROLE_INVALID', 'bad_request', `user: role '${role}' is not one of ${ROLES.join(', ')}`, { role });
      // before asking for a password: a name taken is said at once, not after typing it twice
      if (existsSync(usersDb(flags))) {
        await withUsers(flags, false, (u) => {
          if (u.get(name) !== null) throw new AppError('USER_EXISTS', 'conflict', `user: '${name}' exists already; choose another name, or set its password with 'nml user passwd ${name}'`, { name });
        });
      }
      const password = await readNewPassword(flags, name);
      await withUsers(flags, true, (u) => u.add(name, password, role));
      recordCliAudit(usersPath(flags, false), 'user.create', name, { role });
      process.stdout.write(`user ${name} (${role}) added\n`);
    });

  common(user.command('passwd <name>'))
    .description("set a user's password; ends the user's sessions")
    .option('--password-stdin', 'read the password from the first line of stdin')
    .action(async (name: string, flags: UserFlags) => {
      // the user is looked up before a password is asked for
      await withUser(flags, name, async (u) => u.setPassword(name, await readNewPassword(flags, name)));
      recordCliAudit(usersPath(flags, false), 'user.password', name, { sessionsEnded: true });
      process.stdout.write(`password of ${name} changed; its sessions have ended\n`);
    });

  common(user.command('role <name> <role>'))
    .description(`set a user's role: ${ROLES.join(' or ')} (the last admin stays one); a viewer's assigned findings are unassigned, each history saying so`)
    .action(async (name: string, role: string, flags: UserFlags) => {
      // a role that is none is a wrong command line (exit 2), whoever it names
      const r = checkRole(role);
      const from = await withUser(flags, name, (u) => {
        const before = u.get(name)!.role;
        u.setRole(name, r);
        return before;
      });
      recordCliAudit(usersPath(flags, false), 'user.role', name, { from, to: r });
      // as the server does: a viewer cannot act on what is assigned to them
      const n = r === 'viewer' ? await unassignFindings(flags, name, 'user-demoted') : 0;
      process.stdout.write(`user ${name} is now ${role === 'admin' ? 'an admin' : role === 'viewer' ? 'a viewer (reads only)' : 'an analyst'}${unassignedText(n, name)}\n`);
    });

  common(user.command('del <name>'))
    .description('remove a user and its sessions (not the last admin); the findings assigned to them are unassigned, each history saying so')
    .action(async (name: string, flags: UserFlags) => {
      await withUser(flags, name, (u) => u.remove(name));
      recordCliAudit(usersPath(flags, false), 'user.delete', name);
      // as the server does: nobody would see those findings as theirs
      const n = await unassignFindings(flags, name, 'user-removed');
      process.stdout.write(`user ${name} removed${unassignedText(n, name)}\n`);
    });

  common(user.command('list'))
    .description('list users')
    .option('--json', 'print JSON')
    .action(async (flags: UserFlags) => {
      const list = listUsers(flags);
      if (flags.json === true) {
        process.stdout.write(JSON.stringify(list, null, 2) + '\n');
        return;
      }
      const iso = (t: number): string => new Date(t).toISOString().slice(0, 19) + 'Z';
      for (const u of list) process.stdout.write(`${u.name.padEnd(20)} ${u.role.padEnd(8)} created ${iso(u.created)}  changed ${iso(u.updated)}\n`);
    });
}
