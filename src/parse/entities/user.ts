/**
 * User names, only where the wording says so: sshd and PAM phrases, `user=`-style keys, Windows
 * `Account Name:` and `TargetUserName`, sudo's `alice : TTY=`. A bare `user x` is not enough
 * (`check pass; user unknown`), nor is a number (`uid=0` is an id, not a name).
 */
import type { Entity } from '../../core/index.js';
import { freeRadiusLogin, hostapdIdentity, sshdLogin, windowsTargetUser } from '../relations/auth.js';
import { squidUser } from '../relations/proxy.js';
import { userEntity } from '../relations/types.js';
import { addEntity } from './collect.js';
import { F_ACCOUNT, F_AUTH, F_SUDO, F_URL, F_USER } from './keywords.js';

const VALUE = `([^\\s"'\`<>\\[\\](){},;&|=]+)`;

/**
 * The phrases after a `user`-like word, as one regex of alternatives (one pass over the text instead
 * of one per phrase); each alternative has one capture group.
 */
const USER_PHRASES = [
  // user=alice, USER=root, ruser=bob, CEF suser=/duser=, username: "carol", "user":"eve", user "foo" (nginx),
  // username \"root\" (inside JSON); login only with `=`, since `login: invalid password` is prose; not
  // after `//`: `http://user:pw@host/` is a URL's user and password
  `(?<!//)(?:(?:user(?:_?name)?|[rsd]user)["']?(?:=|:[ \\t]?|[ \\t](?=\\\\?["'\`]))|login=)\\\\?["'\`<\\[]?${VALUE}`,
  // Invalid user bob from / invalid user bob [preauth] / Connection closed by invalid user bob 1.2.3.4 port 22
  `(?:invalid|illegal) user ([^\\s'"]+)(?= from | port | \\[preauth\\]| \\d|$)`,
  // session opened for user root / by user 'x' / authenticating user root
  `(?:for|by|authenticating) user [\`'"\\[<]?${VALUE}`,
  // Close session: user ansible from / User root from 1.2.3.4 not allowed because
  `user [\`'"\\[<]?${VALUE}[\`'"\\]>]? from `,
  // Markers, with an empty group, of lines whose user a relation extractor reads (relations/auth.ts): sshd's
  // `Invalid user` (whatever the name), FreeRADIUS `Login OK|incorrect`, hostapd `IEEE 802.1X: Identity`
  `invalid user ()`,
  `login (?:ok|incorrect)()`,
  `802\\.1x: ()identity`,
];
/** The groups of the markers above. */
const INVALID_USER = 5;
const RADIUS_LOGIN = 6;
const HOSTAPD_IDENTITY = 7;

const USER_RE = new RegExp(`\\b(?:${USER_PHRASES.join('|')})`, 'gi');
/** sshd's other login phrase (`Failed password for x from`, `Accepted publickey for x from`). */
const AUTH_PHRASE = /\b(?:Failed|Accepted) \S+ for /;

/** Each pattern runs only when the word scan saw its keyword (see keywords.ts). */
const PATTERNS: { flag: number; re: RegExp }[] = [
  // Failed password for root from / Accepted publickey for carol from (when sshdLogin cannot read the line)
  { flag: F_AUTH, re: /\b(?:Failed|Accepted) \S+ for (?!invalid user |illegal user )([^\s'"]+) from /g },
  // Windows text rendering (`Account Name:\t\talice`) and XML (`<Data Name="TargetUserName">alice<`); the
  // XML value is bounded (a Windows account name has at most 256 characters), since an unbounded one
  // rescans the rest of the line from each `Name="UserName">` that no `<` follows: quadratic
  { flag: F_ACCOUNT, re: /\bAccount Name:\s+([^\s]+)/g },
  { flag: F_ACCOUNT, re: /Name="(?:Target|Subject)?User[Nn]ame">([^<]{1,256})</g },
  // sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls
  { flag: F_SUDO, re: /(?:^|\s)([\w.$-]+) : (?:TTY|PWD)=/g },
];

/** Words that follow `user` in prose rather than a name. */
const NOT_NAMES = new Set([
  '-', 'null', 'none', 'nil', 'unknown', 'with', 'from', 'not', 'does', 'is', 'was', 'has', 'the', 'a', 'an',
  'to', 'who', 'that', 'credentials', 'authentication', 'account', 'name', 'input', 'agent', 'id', 'invalid',
  'failed', 'or', 'and', 'found', 'undefined', 'n/a',
]);

/** A name has a letter or digit somewhere (`--` and `-` are placeholders). */
const HAS_ALNUM = /[\p{L}\p{N}]/u;

function normalize(raw: string): string | null {
  let end = raw.length;
  while (end > 0 && '.:\\'.includes(raw[end - 1]!)) end--;
  const name = raw.slice(0, end).toLowerCase();
  if (!HAS_ALNUM.test(name) || NOT_NAMES.has(name) || /^\d+$/.test(name)) return null;
  return name;
}

/** Adds a user as the relations name it (`user:…`, see relations/types.ts). */
function addUserKey(out: Entity[], key: string | null): void {
  if (key !== null) addEntity(out, 'user', key.slice(5));
}

/**
 * The user of an sshd login phrase at `at`, read by the sshd relation's code (relations/auth.ts): the
 * whole name, to the last ` from ADDR port N`; undefined when there is no such phrase. Only the first
 * phrase of a line is read: it is sshd's, and any later one is inside the name, which the client chose.
 */
function sshdUser(text: string, at: number): string | null | undefined {
  const login = sshdLogin(at === 0 ? text : text.slice(at));
  return login === null ? undefined : userEntity(login.user);
}

/**
 * Adds the user names of `text`; `flags` are its keyword flags. Users that relation edges name (sshd,
 * FreeRADIUS, hostapd, Windows `"TargetUserName":"carol"`, Squid's user column) are read by the relations'
 * own code, so that the index holds the very user an edge names and the evidence search `ip:… user:…`
 * finds the line. An sshd login line names its one user and no other (a name can read `x user=root`).
 */
export function addUsers(text: string, flags: number, out: Entity[]): void {
  if (flags & F_AUTH) {
    // a parsed sshd message starts with the phrase: no search then
    const at = text.startsWith('Failed ') || text.startsWith('Accepted ') ? 0 : (AUTH_PHRASE.exec(text)?.index ?? -1);
    const sshd = at < 0 ? undefined : sshdUser(text, at);
    if (sshd !== undefined) {
      addUserKey(out, sshd);
      return;
    }
  }
  if (flags & F_USER) {
    let seen = 0; // the markers already read: each is read once (its reader reads the whole line)
    USER_RE.lastIndex = 0;
    for (let m = USER_RE.exec(text); m !== null; m = USER_RE.exec(text)) {
      let group = 1;
      while (m[group] === undefined && group < m.length - 1) group++;
      if (group === 2 || group === INVALID_USER) {
        if ((seen & 1) === 0 && text.startsWith('Invalid user ', m.index)) {
          seen |= 1;
          const sshd = sshdUser(text, m.index);
          if (sshd !== undefined) {
            addUserKey(out, sshd);
            return;
          }
        }
        // the scan goes on at `user` (`invalid user 'x' from` is a `user 'x' from`)
        if (group === INVALID_USER) USER_RE.lastIndex = m.index + 8;
      } else if (group === RADIUS_LOGIN) {
        if ((seen & 2) === 0) addUserKey(out, freeRadiusLogin(text)?.user ?? null);
        seen |= 2;
      } else if (group === HOSTAPD_IDENTITY) {
        if ((seen & 4) === 0) addUserKey(out, hostapdIdentity(text)?.user ?? null);
        seen |= 4;
      }
      addName(out, m[group]!);
    }
  }
  for (const { flag, re } of PATTERNS) {
    if ((flags & flag) === 0) continue;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) addName(out, m[1]!);
  }
  if (flags & F_ACCOUNT) addUserKey(out, windowsTargetUser(text));
  if (flags & F_URL) addUserKey(out, squidUser(text));
}

function addName(out: Entity[], raw: string): void {
  const name = normalize(raw);
  if (name !== null) addEntity(out, 'user', name);
}
