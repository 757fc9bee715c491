/**
 * One person under two names (`corp\carol` from a logon, `carol` from a firewall mapping) is said once,
 * by the qualified name: the relation index links the two with an `alias` edge (core/user-name.ts), so
 * an identity's users often hold both. The web UI (web/src/lib/identity.ts) calls this one too.
 */
export function peopleOnce(users: readonly string[]): string[] {
  return users.filter((u) => !users.some((o) => o !== u && (o.endsWith(`\\${u}`) || o.startsWith(`${u}@`))));
}
