/**
 * A URL as logs and errors may show it: scheme, host and port, the rest hidden. A webhook's path and
 * query often hold its credential (Slack's, Teams'), and so may an LLM endpoint's (`?key=…`).
 */

/** `https://hooks.slack.com/…`: scheme, host and port, the rest (user, path, query) hidden; `(not a URL)` for one that does not parse. */
export function redactedUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '(not a URL)';
  }
  const rest = u.pathname === '/' && u.search === '' && u.hash === '' ? '/' : '/…';
  return `${u.protocol}//${u.host}${rest}`;
}

/**
 * A URL as typed, for an error that says what is wrong with it: its query and fragment cut (`?…`) and a
 * user and password before its host masked (`…@`), where keys hide; the rest kept (`localhost:8000`, the
 * common slip, is shown as it is). Works on any text, URL or not.
 */
export function urlWithoutSecrets(text: string): string {
  const cut = text.search(/[?#]/);
  const head = cut < 0 ? text : `${text.slice(0, cut)}?…`;
  return head.replace(/^([^/]*\/\/)[^/@]*@/, '$1…@');
}
