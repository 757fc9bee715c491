/**
 * The account name of a qualified user, `CORP\alice` or `alice@CORP.EXAMPLE` → `alice`; null for a
 * bare one. The search index files the qualified name under both (so `user:alice` finds the person's
 * domain logons too, while `user:"corp\alice"` finds only that domain's), and the relation index links
 * the two with an `alias` edge, so a pivot on `user:alice` reaches `CORP\alice`'s machines.
 */
export function bareUser(value: string): string | null {
  const slash = value.lastIndexOf('\\');
  if (slash >= 0) return slash < value.length - 1 ? value.slice(slash + 1) : null;
  const at = value.indexOf('@');
  return at > 0 && at < value.length - 1 ? value.slice(0, at) : null;
}
