/**
 * A past incident's recorded response ("isolated 10.0.2.57 from the network, sinkholed the domain") told as
 * a suggestion ("Isolate 10.0.2.57 from the network, sinkhole the domain"). Copied in the past tense with
 * this report's addresses swapped in, it read as done ("isolated 10.0.2.76 from the network"), which a
 * tired operator could believe (UX review, 2026-12). Only verbs it knows are turned; a clause that starts
 * with another past form (-ed) makes the whole `null`, and the caller quotes the past response instead.
 */

/** Past forms of the verbs responses are written with, and their base forms. */
const PAST: Record<string, string> = {
  added: 'add', alerted: 'alert', applied: 'apply', asked: 'ask', audited: 'audit', banned: 'ban', blackholed: 'blackhole', blocked: 'block',
  called: 'call', changed: 'change', checked: 'check', cleaned: 'clean', cleared: 'clear', closed: 'close', collected: 'collect', confirmed: 'confirm',
  contacted: 'contact', contained: 'contain', copied: 'copy', cut: 'cut', deleted: 'delete', denied: 'deny', deployed: 'deploy', disabled: 'disable',
  disconnected: 'disconnect', dropped: 'drop', enabled: 'enable', ended: 'end', enforced: 'enforce', escalated: 'escalate', expired: 'expire',
  filtered: 'filter', found: 'find', identified: 'identify', imaged: 'image', informed: 'inform', installed: 'install', investigated: 'investigate',
  isolated: 'isolate', kept: 'keep', killed: 'kill', limited: 'limit', locked: 'lock', logged: 'log', looked: 'look', made: 'make', monitored: 'monitor',
  moved: 'move', notified: 'notify', patched: 'patch', preserved: 'preserve', pulled: 'pull', purged: 'purge', put: 'put', quarantined: 'quarantine',
  'rate-limited': 'rate-limit', rebooted: 'reboot', rebuilt: 'rebuild', reimaged: 'reimage', reinstalled: 'reinstall', removed: 'remove', renewed: 'renew',
  replaced: 'replace', reported: 'report', required: 'require', reset: 'reset', restarted: 'restart', restored: 'restore', restricted: 'restrict',
  revoked: 'revoke', reviewed: 'review', rotated: 'rotate', ran: 'run', scanned: 'scan', searched: 'search', secured: 'secure', sent: 'send', set: 'set',
  shut: 'shut', sinkholed: 'sinkhole', stopped: 'stop', suspended: 'suspend', terminated: 'terminate', told: 'tell', took: 'take', traced: 'trace',
  unplugged: 'unplug', updated: 'update', upgraded: 'upgrade', verified: 'verify', watched: 'watch', wiped: 'wipe', wrote: 'write',
  隔離した: '隔離する', 遮断した: '遮断する',
};

/** Clause boundaries of a response: a comma, semicolon or colon, "and", "then". */
const CLAUSE = /(,\s+(?:and\s+|then\s+)?|;\s*|:\s+|\s+and\s+(?:then\s+)?|\s+then\s+)/u;

/** The clauses of a response with the separators between them (even indexes: clauses). */
export function clausesOf(text: string): string[] {
  return text.split(CLAUSE);
}

/** `text` with each clause's leading past verb in its base form, the first letter capital; null when a clause starts with a past form it does not know. */
export function imperative(text: string): string | null {
  const parts = clausesOf(text.trim());
  for (let i = 0; i < parts.length; i += 2) {
    const clause = parts[i] as string;
    const m = /^([\p{L}-]+)(.*)$/su.exec(clause);
    if (m === null) continue;
    const word = (m[1] as string).toLowerCase();
    const base = PAST[word];
    if (base !== undefined) parts[i] = `${base}${m[2] as string}`;
    else if (/ed$/.test(word)) return null;
  }
  const out = parts.join('');
  return out.charAt(0).toUpperCase() + out.slice(1);
}
