/** Syslog severity and facility values: a number, a name, or a comparison such as `<=err`. */

const SEVERITIES: Record<string, number> = {
  emerg: 0, emergency: 0, panic: 0, alert: 1, crit: 2, critical: 2, err: 3, error: 3,
  warning: 4, warn: 4, notice: 5, info: 6, informational: 6, debug: 7,
};

const FACILITY_NAMES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
  'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4',
  'local5', 'local6', 'local7',
];

function level(field: 'sev' | 'fac', text: string): number | null {
  const name = text.toLowerCase();
  const max = field === 'sev' ? 7 : 23;
  if (/^\d{1,2}$/.test(name)) return Number(name) <= max ? Number(name) : null;
  if (field === 'sev') return Object.hasOwn(SEVERITIES, name) ? SEVERITIES[name]! : null;
  const i = FACILITY_NAMES.indexOf(name);
  return i < 0 ? null : i;
}

/** The inclusive range `text` names (possibly empty: min > max), or null when it is not a level. */
export function levelRange(field: 'sev' | 'fac', text: string): { min: number; max: number } | null {
  const m = /^(<=|>=|<|>)?(.*)$/s.exec(text)!;
  const n = level(field, m[2]!);
  if (n === null) return null;
  const top = field === 'sev' ? 7 : 23;
  switch (m[1]) {
    case '<=': return { min: 0, max: n };
    case '<': return { min: 0, max: n - 1 };
    case '>=': return { min: n, max: top };
    case '>': return { min: n + 1, max: top };
    default: return { min: n, max: n };
  }
}
