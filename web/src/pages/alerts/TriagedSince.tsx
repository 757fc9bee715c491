/**
 * The Alerts page's "Triaged" filter for a shift's handover: only findings whose status a person set in
 * the last 12 h, 24 h or 7 days, or since a UTC time (the start of one's shift). In: `triagedSince` of the
 * address, a time as GET /api/findings `triagedSince=` reads it (`-12h`, ISO-8601, epoch ms), passed on
 * as written. Out: the menu, the time field, and the words that say the list is so filtered.
 */
import { formatTime, fromDateTimeLocal, toDateTimeLocal } from '../../lib/format.ts';
// the query language's own reading of `-12h` (no imports: the bundle takes it as it is)
import { relativeMs } from '../../../../src/core/relative-time.ts';

/** the menu's choices: `label` in the menu, `said` above the list */
const PRESETS: readonly { value: string; label: string; said: string }[] = [
  { value: '', label: 'any time', said: '' },
  { value: '-12h', label: 'last 12 h', said: 'in the last 12 h' },
  { value: '-24h', label: 'last 24 h', said: 'in the last 24 h' },
  { value: '-7d', label: 'last 7 days', said: 'in the last 7 days' },
];
/** the menu's choice that opens the time field */
const AT = 'at';
/** where the time field starts when chosen: a night shift's 12 hours back */
const FIELD_START_MS = 12 * 3_600_000;

/** `2026-12-07T01:40:00Z` as the time field writes it; null for anything else (a preset, `-3h`, epoch ms) */
const fieldTime = (value: string): number | null => {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?Z$/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
};

/** The instant `value` stands for at `now` (the server's clock of the list), or null when the page cannot read it. */
export function triagedSinceMs(value: string, now: number): number | null {
  const back = relativeMs(value);
  if (back !== null) return now - back;
  if (/^\d{11,16}$/.test(value)) return Number(value);
  return fieldTime(value);
}

/** `in the last 12 h (since 2026-12-07 01:40 UTC)`, `since 2026-12-06 22:00 UTC`: what the list is cut to. */
export function triagedSinceText(value: string, now: number): string {
  const preset = PRESETS.find((p) => p.value !== '' && p.value === value);
  const ms = triagedSinceMs(value, now);
  const at = ms === null ? null : `${formatTime(ms, false).slice(0, 16)} UTC`;
  if (preset !== undefined) return at === null ? preset.said : `${preset.said} (since ${at})`;
  return `since ${at ?? value}`;
}

export function TriagedSinceControl({ value, onChange }: { value: string; onChange(value: string | null): void }) {
  const preset = PRESETS.some((p) => p.value === value);
  const field = fieldTime(value);
  // a time the address names that is neither a preset nor the field's (a hand-edited `-3h`): kept, shown as written
  const other = !preset && field === null;
  const choice = preset ? value : field !== null ? AT : value;
  const choose = (v: string) => {
    if (v === AT) onChange(fromDateTimeLocal(toDateTimeLocal(Date.now() - FIELD_START_MS)));
    else onChange(v === '' ? null : v);
  };
  return (
    <span className="inline-field triaged-since">
      <label className="inline-field">
        Triaged
        <select className="input" aria-label="Triaged" value={choice} onChange={(e) => choose(e.target.value)}>
          {PRESETS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
          <option value={AT}>since…</option>
          {other && <option value={value}>since {value}</option>}
        </select>
      </label>
      {field !== null && (
        <input
          className="input"
          type="datetime-local"
          aria-label="Triaged since (UTC)"
          value={toDateTimeLocal(field)}
          // an emptied or half-typed field keeps the time before it
          onChange={(e) => {
            const v = fromDateTimeLocal(e.target.value);
            if (v !== null) onChange(v);
          }}
        />
      )}
    </span>
  );
}
