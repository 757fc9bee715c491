/**
 * User names that stand in file paths: a home folder is named for its user, so the segment after
 * `/home/`, `/export/home/`, `/Users/` (macOS), `C:\Users\` or `\Users\` (Windows, any case, `\\` as
 * JSON escapes it, `C:/Users/` and `…/HarddiskVolume2/Users/` too) and `Documents and Settings\` is a
 * user name by position, whatever the extractor made of the line. A Windows name may hold spaces
 * (`C:\Users\Jane Doe\AppData`, up to three words) when a separator closes it. Lower-case `/users/`
 * with forward slashes is left alone: it is a web API's path far more often than a folder (`/users/login`).
 * A folder that is no person's (`Default`, `Public`, `All Users`, `Shared`) and a placeholder
 * (`%USERNAME%`, `$USER`, `<user>`) are kept. A user's own web folder or home written with a tilde
 * (`/~alice/public_html/x`, `http://h/~bob`, `/%7Ecarol/`, a shell's `~alice/.ssh`) names the user too: the
 * name after `/~` (or `%7E`), or after a `~` that starts a word and is followed by `/`, gets the same
 * pseudonym as `/home/alice` (`~/` and `~+` name nobody).
 */

/** the segment's characters: no separator, quote, space or character a path may not hold */
const UNIX_NAME = String.raw`[^/\\\s"'<>|:*?,;=()\[\]{}]+`;
const WIN_NAME = String.raw`[^/\\\s"'<>|:*?,;=()\[\]{}]+(?: [^/\\\s"'<>|:*?,;=()\[\]{}]+){0,2}(?=[\\/])|[^/\\\s"'<>|:*?,;=()\[\]{}]+`;
const USERS_CI = '[Uu][Ss][Ee][Rr][Ss]';
const DOCS_CI = 'Documents and Settings';

/** a tilde form's name: a Unix user name's characters */
const TILDE_NAME = String.raw`[\p{L}\p{N}_][\p{L}\p{N}_.-]*`;

/** groups 1, 3, 5: the folder (or tilde) before the name (kept); 2, 4, 6: the name (pathUserIn reads them) */
export const PATH_USER_RE = new RegExp(
  [
    // Windows: a backslash form (any case), or a drive with forward slashes
    String.raw`((?:[A-Za-z]:)?\\+(?:${USERS_CI}|${DOCS_CI})\\+|[A-Za-z]:/(?:${USERS_CI}|${DOCS_CI})/)(${WIN_NAME})`,
    // Unix and macOS
    String.raw`((?<![\p{L}\p{N}_.-])/(?:export/)?home/|(?:(?<![\p{L}\p{N}_.-])|(?<=HarddiskVolume(?:ShadowCopy)?\d+))/Users/)(${UNIX_NAME})`,
    // a tilde: after a slash (a URL path, `%7E` as a URL encodes it), or after no name character and before a slash (`>~bob/x`, `PATH=~bob/bin`)
    String.raw`((?<=/)(?:~|%7[Ee])|(?<![\p{L}\p{N}_.~-])~(?=${TILDE_NAME}/))(${TILDE_NAME})`,
  ].join('|'),
  'gu',
);

/** how many groups PATH_USER_RE has (a regex joined after it numbers its own from here) */
export const PATH_USER_GROUPS = 6;

/** the folder (or tilde) and the name of PATH_USER_RE's match `m`, its groups from `base` + 1; null when it is no path user */
export function pathUserIn(m: RegExpExecArray | RegExpMatchArray, base = 0): { folder: string; name: string } | null {
  for (let g = base + 1; g < base + PATH_USER_GROUPS; g += 2) if (m[g + 1] !== undefined) return { folder: m[g]!, name: m[g + 1]! };
  return null;
}

/** folders under Users/home that name no person */
const NOT_PEOPLE = new Set(['default', 'default user', 'defaultuser0', 'public', 'all users', 'shared', 'guest', 'localservice', 'networkservice', 'systemprofile']);

/** Whether the segment `name` is kept as written: a folder of no person, a placeholder, or already a pseudonym. */
export function keptPathName(name: string, pseudonym: RegExp): boolean {
  return NOT_PEOPLE.has(name.toLowerCase()) || /^[%$<{~]/.test(name) || pseudonym.test(name);
}

/**
 * The segment as written out: `user-…` of the name (lower-cased, as a user elsewhere), or for an e-mail
 * folder (`xpc_ben%40163.com`, `bob@acme.local`) `user-…` of its local part and the domain as `domain` writes it.
 */
export function pathUserOut(name: string, user: (name: string) => string, domain: (name: string) => string): string {
  const trimmed = name.replace(/\.+$/, '');
  const tail = name.slice(trimmed.length);
  const at = /%40|@/i.exec(trimmed);
  if (at === null || at.index === 0) return user(trimmed.toLowerCase()) + tail;
  return `${user(trimmed.slice(0, at.index).toLowerCase())}${at[0]}${domain(trimmed.slice(at.index + at[0].length))}${tail}`;
}

/** Whether `text` holds a user name in a path that is neither kept nor written as a pseudonym (the check after anonymizing). */
export function pathUserLeft(text: string, pseudonym: RegExp): boolean {
  if (!/home|users|documents and settings|~|%7e/i.test(text)) return false;
  PATH_USER_RE.lastIndex = 0;
  for (let m = PATH_USER_RE.exec(text); m !== null; m = PATH_USER_RE.exec(text)) {
    const { name } = pathUserIn(m)!;
    if (keptPathName(name, pseudonym)) continue;
    // written: the pseudonym, perhaps run into what follows it (a host pseudonym after a `-`)
    if (!pseudonym.test(/^[a-z]+-[0-9a-f]{10}/.exec(name)?.[0] ?? '')) return true;
  }
  return false;
}
