/**
 * The host of a URL as written in logs and findings: scheme, userinfo, port, path, query dropped;
 * `[v6]` unbracketed. No imports: the web bundle takes it as it is (Investigate marks a URL finding's host).
 */
export function urlHost(raw: string): string | null {
  const rest = raw.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const authority = rest.split(/[/?#\\]/, 1)[0]!;
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  const v6 = /^\[([^\]]+)\]/.exec(host);
  const bare = v6 !== null ? v6[1]! : host.replace(/:\d*$/, '');
  return bare === '' ? null : bare;
}
