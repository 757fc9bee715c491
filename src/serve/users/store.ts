/**
 * Users and sessions in `<data>/users.db` (better-sqlite3, bound parameters only). A session id is 32
 * random bytes given to the browser once; the database keeps only its SHA-256, so a copy of the file
 * opens no session. Sessions end after an idle timeout or an absolute lifetime, whichever comes first.
 */
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError, describeCause, errnoOf } from '../../core/index.js';
import { sqliteAccessProblem } from '../../store/index.js';
import { dataFileAdvice, makeOwnerOnlyFolder } from '../owner-folder.js';
import { FIRST_PASSWORD_FILE, forgetFirstPassword, writeFirstPassword } from './first-password.js';
import { dummyHash, hashPassword, randomPassword, SCRYPT_DEFAULT, verifyPassword, type ScryptParams } from './password.js';

/** admin: everything, users too; analyst: everything but users; viewer: reads only (no triage, nothing saved to the incident base) */
export type Role = 'admin' | 'analyst' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'analyst', 'viewer'];

export interface User {
  name: string;
  role: Role;
  created: number;
  updated: number;
}

export interface SessionLimits {
  /** a session unused this long ends */
  idleMs: number;
  /** a session ends this long after login, used or not */
  absoluteMs: number;
}

export const SESSION_DEFAULTS: SessionLimits = Object.freeze({ idleMs: 12 * 3600_000, absoluteMs: 7 * 86_400_000 });

export interface UserStoreOptions {
  sessions?: SessionLimits;
  scrypt?: ScryptParams;
  now?: () => number;
}

const NAME = /^[a-z][a-z0-9._-]{0,63}$/;
export const MIN_PASSWORD = 8;
export const MAX_PASSWORD = 1024;
/** lastSeen is written at most this often per session (not on every request) */
const TOUCH_EVERY_MS = 60_000;

/**
 * Names no new user may take, and why: the logs and the audit trail name the API token `api-token`, and
 * the findings filter `assignee=` reads `me` as the caller and `none` as nobody. A user so named before
 * these were kept back keeps their account, logins and assigned findings (nothing is renamed); the
 * filter word still means the caller or nobody, so they list their own with `assignee=me` (the Alerts
 * page's Assigned: me), and others cannot list theirs by that name.
 */
const RESERVED_NAMES: ReadonlyMap<string, string> = new Map([
  ['api-token', 'the logs name the API token so'],
  ['me', "the findings filter assignee=me means the user asking"],
  ['none', 'the findings filter assignee=none means findings assigned to nobody'],
]);

/** The assignee filter's words, reserved as user names after some servers had users so named. */
const FILTER_WORDS: ReadonlySet<string> = new Set(['me', 'none']);

/** The users named `me` or `none` (made before those were reserved), in list order. */
export function usersWithReservedNames(users: readonly User[]): User[] {
  return users.filter((u) => FILTER_WORDS.has(u.name));
}

/**
 * What `nml serve` says at start of each user `usersWithReservedNames` gives (`dataDir`: the data
 * directory, for the commands): what their name means now, that they keep their account, and how to
 * rename them, as nothing is renamed for them.
 */
export function reservedNamesWarning(users: readonly User[], dataDir: string): string {
  const each = users.map((u) => `'${u.name}' (${u.role}; ${RESERVED_NAMES.get(u.name) ?? 'reserved'})`).join(', ');
  const one = users.length === 1 ? users[0]! : null;
  return (
    `users: ${each} ${one === null ? 'have names' : 'has a name'} reserved since made. Nothing is renamed: logins and assigned findings stay, ` +
    `and ${one === null ? 'each' : 'the user'} lists their own findings with assignee=me (Alerts page, Assigned: me), but the filter reads the name as its reserved word, so nobody else can list them by that name. ` +
    `To rename: add a new user (nml user add NEW --role ${one?.role ?? 'ROLE'} --data ${dataDir}), move the findings to it (Assigned: me, select all that match, assign), ` +
    `then remove the old one (nml user del ${one?.name ?? 'OLD'} --data ${dataDir}), which unassigns any left`
  );
}

export function checkUserName(name: string): string {
  // the name is not echoed: a password typed into the name field would reach the log with the message
  if (!NAME.test(name)) {
    throw new AppError('USER_NAME_INVALID', 'bad_request', `user: the name given (${name.length} characters) is not valid; use 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter`, { length: name.length });
  }
  const reserved = RESERVED_NAMES.get(name);
  if (reserved !== undefined) throw new AppError('USER_NAME_INVALID', 'bad_request', `user: '${name}' is reserved (${reserved}); choose another name`, { name });
  return name;
}

export function checkPassword(password: string): string {
  if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD) {
    throw new AppError('USER_PASSWORD_INVALID', 'bad_request', `user: a password must have ${MIN_PASSWORD} to ${MAX_PASSWORD} characters`, { min: MIN_PASSWORD, max: MAX_PASSWORD });
  }
  return password;
}

/** `role` as a Role, or USER_ROLE_INVALID naming the roles. */
export function checkRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) throw new AppError('USER_ROLE_INVALID', 'bad_request', `user: role '${role.slice(0, 40)}' is not one of ${ROLES.join(', ')}`, { role: role.slice(0, 40) });
  return role as Role;
}

/** Whether a user of this role may be assigned findings: one who can act on them (a viewer reads only). */
export const canTriage = (role: Role): boolean => role !== 'viewer';

/** FINDINGS_ASSIGNEE_VIEWER: `name` reads only, and a finding assigned to them would wait on someone who cannot change it. */
export function viewerAssignee(name: string, where = 'findings'): AppError {
  return new AppError(
    'FINDINGS_ASSIGNEE_VIEWER',
    'bad_request',
    `${where}: '${name}' has the viewer role, which reads only: they could not acknowledge or resolve what is assigned to them; assign it to an analyst or an admin, or have an admin give '${name}' the analyst role (Users page, or 'nml user role ${name} analyst')`,
    { assignee: name },
  );
}

/** What `sessions` stores for a session id (never the id itself); also a safe key for in-memory limits. */
export function sessionDigest(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

interface UserRow {
  name: string;
  role: Role;
  hash: string;
  created: number;
  updated: number;
}

interface SessionRow {
  user: string;
  role: Role;
  created: number;
  last_seen: number;
  expires: number;
}

export interface Session {
  user: { name: string; role: Role };
  created: number;
  expires: number;
}

export class UserStore {
  private readonly db: Database.Database;
  private readonly limits: SessionLimits;
  private readonly scrypt: ScryptParams;
  private readonly now: () => number;
  /** where the first admin's password waits to be read, beside the database; gone once it is changed */
  readonly firstPasswordFile: string;

  constructor(path: string, opts: UserStoreOptions = {}) {
    this.firstPasswordFile = join(dirname(path), FIRST_PASSWORD_FILE);
    this.limits = opts.sessions ?? SESSION_DEFAULTS;
    this.scrypt = opts.scrypt ?? SCRYPT_DEFAULT;
    this.now = opts.now ?? Date.now;
    const fresh = !existsSync(path);
    try {
      makeOwnerOnlyFolder(dirname(path));
    } catch (e) {
      // mkdir of a path a file holds says EEXIST, "file already exists"
      const why = errnoOf(e) === 'EEXIST' ? 'a file is in its place' : describeCause(e);
      throw new AppError('USER_DB_UNAVAILABLE', 'unavailable', `user: cannot make the folder ${dirname(path)} for ${path}: ${why}; ${dataFileAdvice(e)}`, { path }, e);
    }
    try {
      this.db = new Database(path);
      if (fresh) chmodSync(path, 0o600);
    } catch (e) {
      // SQLite says only "unable to open database file": a folder in the file's place, or the access, said here
      const why = isFolder(path)
        ? `it is a folder, and the user database is one SQLite file; ${dataFileAdvice({ code: 'EISDIR' })}`
        : (sqliteAccessProblem(e, path, true) ?? `${describeCause(e)}; ${dataFileAdvice(e)}`);
      throw new AppError('USER_DB_UNAVAILABLE', 'unavailable', `user: cannot open ${path}: ${why}`, { path }, e);
    }
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS users(name TEXT PRIMARY KEY, role TEXT NOT NULL, hash TEXT NOT NULL, created INTEGER NOT NULL, updated INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS sessions(id TEXT PRIMARY KEY, user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
          created INTEGER NOT NULL, last_seen INTEGER NOT NULL, expires INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user);`);
      this.db.pragma('foreign_keys = ON');
    } catch (e) {
      this.db.close();
      // a read-only mount or a permission problem is no damage: moving the file aside would lose every account
      const access = sqliteAccessProblem(e, path, true);
      if (access !== null) throw new AppError('USER_DB_UNAVAILABLE', 'unavailable', `user: cannot open ${path}: ${access}`, { path }, e);
      // a file that is not a database (or a damaged one): its users cannot be read, and guessing would lock everyone out
      throw new AppError('USER_DB_UNAVAILABLE', 'unavailable', `user: ${path} is not a readable user database (${(e as Error).message}); restore it from a backup, or move it aside and start nml again, which creates 'admin' with a new password`, { path }, e);
    }
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  list(): User[] {
    return this.db.prepare('SELECT name, role, created, updated FROM users ORDER BY name').all() as User[];
  }

  get(name: string): User | null {
    return (this.db.prepare('SELECT name, role, created, updated FROM users WHERE name = ?').get(name) as User | undefined) ?? null;
  }

  async add(name: string, password: string, role: Role = 'analyst'): Promise<User> {
    checkUserName(name);
    checkPassword(password);
    checkRole(role);
    const hash = await hashPassword(password, this.scrypt);
    const t = this.now();
    const r = this.db.prepare('INSERT OR IGNORE INTO users(name, role, hash, created, updated) VALUES (?, ?, ?, ?, ?)').run(name, role, hash, t, t);
    if (r.changes === 0) throw new AppError('USER_EXISTS', 'conflict', `user: '${name}' exists already; choose another name, or set its password (Reset password under Account › Users, or 'nml user passwd ${name}')`, { name });
    return { name, role, created: t, updated: t };
  }

  /** Sets a new password and ends every session of the user (an admin's reset, `nml user passwd`). */
  async setPassword(name: string, password: string): Promise<void> {
    await this.update(name, { password });
  }

  /**
   * A user's own change: the current password first, then the new one, in one step that fails when the
   * password changed meanwhile (an admin's reset during the hashes wins) or `keepSession` has ended.
   * Every other session of the user ends. False when `current` is wrong; nothing changes then.
   */
  async changeOwnPassword(name: string, current: string, password: string, keepSession: string): Promise<boolean> {
    checkPassword(password);
    const row = this.db.prepare('SELECT hash FROM users WHERE name = ?').get(name) as { hash: string } | undefined;
    const ok = await verifyPassword(current.slice(0, MAX_PASSWORD), row?.hash ?? (await dummyHash(this.scrypt)));
    if (!ok || row === undefined) return false;
    const hash = await hashPassword(password, this.scrypt);
    const keep = sessionDigest(keepSession);
    this.db
      .transaction(() => {
        const alive = this.db.prepare('SELECT 1 FROM sessions WHERE id = ? AND user = ?').get(keep, name) !== undefined;
        const r = alive ? this.db.prepare('UPDATE users SET hash = ?, updated = ? WHERE name = ? AND hash = ?').run(hash, this.now(), name, row.hash) : { changes: 0 };
        if (r.changes === 0) throw new AppError('USER_CHANGED_MEANWHILE', 'conflict', `user: the password of '${name}' was changed or the session ended while this change was checked; nothing was changed, log in again`, { name });
        this.db.prepare('DELETE FROM sessions WHERE user = ? AND id != ?').run(name, keep);
      })
      .immediate();
    this.passwordGone(name);
    return true;
  }

  /**
   * Sets a role, a password, or both, all or nothing: the hash is made first, then both are written in
   * one transaction that refuses to leave no admin. A new password ends every session of the user.
   */
  async update(name: string, change: { role?: Role; password?: string }): Promise<User> {
    if (change.role !== undefined) checkRole(change.role);
    if (change.password !== undefined) checkPassword(change.password);
    if (this.get(name) === null) throw notFound(name);
    const hash = change.password === undefined ? null : await hashPassword(change.password, this.scrypt);
    const updated = this.db
      .transaction(() => {
        const user = this.get(name);
        if (user === null) throw notFound(name);
        const t = this.now();
        if (change.role !== undefined) this.writeRole(user, change.role, t);
        if (hash !== null) {
          this.db.prepare('UPDATE users SET hash = ?, updated = ? WHERE name = ?').run(hash, t, name);
          this.db.prepare('DELETE FROM sessions WHERE user = ?').run(name);
        }
        return this.get(name)!;
      })
      .immediate();
    if (hash !== null) this.passwordGone(name);
    return updated;
  }

  /** The first admin's password file outlives its password by no more than the change that ends it. */
  private passwordGone(name: string): void {
    if (name === 'admin') forgetFirstPassword(this.firstPasswordFile);
  }

  /** Sets the user's role; the last admin stays one. */
  setRole(name: string, role: Role): void {
    checkRole(role);
    this.db
      .transaction(() => {
        const user = this.get(name);
        if (user === null) throw notFound(name);
        this.writeRole(user, role, this.now());
      })
      .immediate();
  }

  /** Inside a write transaction: the role, unless that leaves no admin. */
  private writeRole(user: User, role: Role, t: number): void {
    if (user.role === 'admin' && role !== 'admin' && this.adminCount() <= 1) {
      throw new AppError('USER_LAST_ADMIN', 'conflict', `user: '${user.name}' is the last admin; make another user an admin first`, { name: user.name });
    }
    this.db.prepare('UPDATE users SET role = ?, updated = ? WHERE name = ?').run(role, t, user.name);
  }

  private adminCount(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM users WHERE role = 'admin'").get() as { n: number }).n;
  }

  /** Removes the user and its sessions; the last admin cannot be removed (checked in the same write transaction). */
  remove(name: string): void {
    this.db
      .transaction(() => {
        const user = this.get(name);
        if (user === null) throw notFound(name);
        if (user.role === 'admin' && this.adminCount() <= 1) {
          throw new AppError('USER_LAST_ADMIN', 'conflict', `user: '${name}' is the last admin; add another admin before removing it`, { name });
        }
        this.db.prepare('DELETE FROM sessions WHERE user = ?').run(name);
        this.db.prepare('DELETE FROM users WHERE name = ?').run(name);
      })
      .immediate();
    this.passwordGone(name);
  }

  /**
   * The user when the password is right, else null. An unknown user costs one scrypt like a wrong
   * password, and the caller gives both the same answer.
   */
  async authenticate(name: string, password: string): Promise<{ name: string; role: Role } | null> {
    const row = await this.verified(name, password);
    return row === null ? null : { name: row.name, role: row.role };
  }

  /**
   * A login: the user, and a new session made only while the password checked is still theirs. The
   * check takes about a second; a password set or a user removed meanwhile ends every session, and a
   * session made after that from the old password would outlive the change, so there is none.
   */
  async login(name: string, password: string): Promise<{ user: { name: string; role: Role }; session: { id: string; expires: number } } | null> {
    const row = await this.verified(name, password);
    if (row === null) return null;
    const id = randomBytes(32).toString('base64url');
    const t = this.now();
    const expires = t + this.limits.absoluteMs;
    const r = this.db
      .prepare('INSERT INTO sessions(id, user, created, last_seen, expires) SELECT ?, name, ?, ?, ? FROM users WHERE name = ? AND hash = ?')
      .run(sessionDigest(id), t, t, expires, row.name, row.hash);
    if (r.changes === 0) return null;
    this.pruneSometimes(t);
    return { user: { name: row.name, role: row.role }, session: { id, expires } };
  }

  /** The user's row when the password is theirs; names are lowercase, so `Alice` is `alice` (a phone capitalizes the first letter). */
  private async verified(name: string, password: string): Promise<UserRow | null> {
    const row = typeof name === 'string' && name.length <= 64 ? (this.db.prepare('SELECT name, role, hash FROM users WHERE name = ?').get(name.toLowerCase()) as UserRow | undefined) : undefined;
    const ok = await verifyPassword(String(password).slice(0, MAX_PASSWORD), row?.hash ?? (await dummyHash(this.scrypt)));
    return ok && row !== undefined ? row : null;
  }

  /**
   * Creates `admin` with a random password when there is no user at all. The password goes into
   * `firstPasswordFile` (mode 0600), never into a log, and the file is removed when that password is
   * changed or `admin` removed. Returns the file (and the password, for the caller's tests) once.
   */
  async ensureAdmin(): Promise<{ file: string; password: string } | null> {
    if (this.count() > 0) return null;
    const password = randomPassword();
    // the file first: a server killed between the two leaves a password nobody uses, never a user nobody can log in as
    writeFirstPassword(this.firstPasswordFile, password);
    try {
      await this.add('admin', password, 'admin');
    } catch (e) {
      forgetFirstPassword(this.firstPasswordFile, password);
      if ((e as AppError).code === 'USER_EXISTS') return null; // another process made it meanwhile
      throw e;
    }
    return { file: this.firstPasswordFile, password };
  }

  /** A new session; the returned id goes into the cookie and is never stored. */
  createSession(user: string): { id: string; expires: number } {
    const id = randomBytes(32).toString('base64url');
    const t = this.now();
    const expires = t + this.limits.absoluteMs;
    this.db.prepare('INSERT INTO sessions(id, user, created, last_seen, expires) VALUES (?, ?, ?, ?, ?)').run(sessionDigest(id), user, t, t, expires);
    this.pruneSometimes(t);
    return { id, expires };
  }

  /**
   * The live session of a cookie value, or null. `touch`: the request is the person's (a page they opened,
   * a button): it refreshes the session's last use (at most once a minute). A page's own polling and a
   * live feed's recheck do not, or a page left open would keep its session from ever idling out.
   */
  session(id: string, touch = true): Session | null {
    if (typeof id !== 'string' || id.length < 16 || id.length > 128) return null;
    const digest = sessionDigest(id);
    const row = this.db
      .prepare('SELECT s.user, u.role, s.created, s.last_seen, s.expires FROM sessions s JOIN users u ON u.name = s.user WHERE s.id = ?')
      .get(digest) as SessionRow | undefined;
    if (row === undefined) return null;
    const t = this.now();
    if (t >= row.expires || t - row.last_seen >= this.limits.idleMs) {
      this.db.prepare('DELETE FROM sessions WHERE id = ?').run(digest);
      return null;
    }
    if (touch && t - row.last_seen >= TOUCH_EVERY_MS) this.db.prepare('UPDATE sessions SET last_seen = ? WHERE id = ?').run(t, digest);
    return { user: { name: row.user, role: row.role }, created: row.created, expires: Math.min(row.expires, t + this.limits.idleMs) };
  }

  endSession(id: string): void {
    if (typeof id === 'string') this.db.prepare('DELETE FROM sessions WHERE id = ?').run(sessionDigest(id));
  }

  sessionCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
  }

  private lastPrune = 0;
  private pruneSometimes(t: number): void {
    if (t - this.lastPrune < 3600_000) return;
    this.lastPrune = t;
    this.db.prepare('DELETE FROM sessions WHERE expires <= ? OR last_seen <= ?').run(t, t - this.limits.idleMs);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export function notFound(name: string): AppError {
  return new AppError('USER_NOT_FOUND', 'not_found', `user: there is no user '${name.slice(0, 80)}'; the users are listed by 'nml user list' and under Account › Users`, { name: name.slice(0, 80) });
}

/** Whether `path` is a folder; false when nothing, or nothing reachable, is there (a file in its folder's place). */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
