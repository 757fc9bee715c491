/**
 * User names, only where the wording says so: sshd and PAM phrases, `user=`-style keys, Windows
 * `Account Name:` and `TargetUserName`, sudo's `alice : TTY=`. A bare `user x` is not enough
 * (`check pass; user unknown`), nor is a number (`uid=0` is an id, not a name).
 */
import type { Entity } from '../../core/index.js';
import { addEntity } from './collect.js';
import { F_ACCOUNT, F_AUTH, F_SUDO, F_USER } from './keywords.js';

const VALUE = `([^\\s"'\`<>\\[\\](){},;&|=]+)`;

/**
 * The phrases after a `user`-like word, as one regex of alternatives (one pass over the text instead
 * of one per phrase); each alternative has one capture group.
 */
const USER_PHRASES = [
  // user=alice, USER=root, ruser=bob, CEF suser=/duser=, username: "carol", "user":"eve", user "foo" (nginx),
  // username \"root\" (inside JSON); login only with `=`, since `login: invalid password` is prose
  `(?:(?:user(?:_?name)?|[rsd]user)["']?(?:=|:[ \\t]?|[ \\t](?=\\\\?["'\`]))|login=)\\\\?["'\`<\\[]?${VALUE}`,
  // Invalid user bob from / invalid user bob [preauth] / Connection closed by invalid user bob 1.2.3.4 port 22
  `(?:invalid|illegal) user ([^\\s'"]+)(?= from | port | \\[preauth\\]| \\d|$)`,
  // session opened for user root / by user 'x' / authenticating user root
  `(?:for|by|authenticating) user [\`'"\\[<]?${VALUE}`,
  // Close session: user ansible from / User root from 1.2.3.4 not allowed because
  `user [\`'"\\[<]?${VALUE}[\`'"\\]>]? from `,
];

/** Each pattern runs only when the word scan saw its keyword (see keywords.ts). */
const PATTERNS: { flag: number; re: RegExp }[] = [
  { flag: F_USER, re: new RegExp(`\\b(?:${USER_PHRASES.join('|')})`, 'gi') },
  // Failed password for root from / Accepted publickey for carol from
  { flag: F_AUTH, re: /\b(?:Failed|Accepted) \S+ for (?!invalid user |illegal user )([^\s'"]+) from /g },
  // Windows text rendering (`Account Name:\t\talice`) and XML (`<Data Name="TargetUserName">alice<`)
  { flag: F_ACCOUNT, re: /\bAccount Name:\s+([^\s]+)/g },
  { flag: F_ACCOUNT, re: /Name="(?:Target|Subject)?User[Nn]ame">([^<]+)</g },
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

/** Adds the user names of `text`; `flags` are its keyword flags. */
export function addUsers(text: string, flags: number, out: Entity[]): void {
  for (const { flag, re } of PATTERNS) {
    if ((flags & flag) === 0) continue;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      let group = 1;
      while (m[group] === undefined && group < m.length - 1) group++;
      const name = normalize(m[group] ?? '');
      if (name !== null) addEntity(out, 'user', name);
    }
  }
}
