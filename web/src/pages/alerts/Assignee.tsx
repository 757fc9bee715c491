/**
 * Who a finding is assigned to on the Alerts page, the night shift's "this one is mine": the line in a
 * row's status cell with its Assign to me / Unassign button (`PATCH /api/findings/:id` `assignee`; the
 * status stays), and the Assigned menu (anyone, me, unassigned) that sets `assignee=` of the address and
 * of GET /api/findings as the API reads it (`me`, `none`, or a user's name in a hand-edited link).
 */
import { useState } from 'react';
import { request, isApiError } from '../../lib/api.ts';
import type { Finding, FindingTriageRequest } from '../../lib/types.ts';
import { useAuth } from '../../app/auth.ts';

/** the menu's choices, `assignee=` of the address ('' is anyone, left out) */
const CHOICES: readonly { value: string; label: string }[] = [
  { value: '', label: 'anyone' },
  { value: 'me', label: 'me' },
  { value: 'none', label: 'unassigned' },
];

/** A finding's assignee (an older server sends none: nobody). */
export const assigneeOf = (f: Finding): string | null => f.triage.assignee ?? null;

/** Whether a finding as it now stands belongs in the list `assignee=` asks for (`me`: the user logged in). */
export function inAssigned(f: Finding, param: string, me: string): boolean {
  if (param === '') return true;
  const a = assigneeOf(f);
  if (param === 'none') return a === null;
  return a === (param === 'me' ? me : param);
}

/** `assigned to you` / `to carol`: what the list says of the Assigned filter, '' for anyone. */
export function assignedText(param: string): string {
  if (param === '') return '';
  if (param === 'me') return 'assigned to you';
  if (param === 'none') return 'assigned to nobody';
  return `assigned to ${param}`;
}

export function AssignedControl({ value, onChange }: { value: string; onChange(value: string | null): void }) {
  const known = CHOICES.some((c) => c.value === value);
  return (
    <label className="inline-field">
      Assigned
      <select className="input" aria-label="Assigned" value={value} onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}>
        {CHOICES.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
        {/* a name a hand-edited address gives: kept, shown as written */}
        {!known && <option value={value}>{value}</option>}
      </select>
    </label>
  );
}

/**
 * The assignee under a row's status: "assigned to you" or "to carol", and the button that takes it
 * (Assign to me) or gives it back (Unassign); a viewer sees the line only. `onDone` gets the finding as
 * the server now has it.
 */
export function AssigneeLine({ f, onDone }: { f: Finding; onDone(f: Finding, said: string): void }) {
  const { user } = useAuth();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const a = assigneeOf(f);
  const mine = a !== null && a === user.name;
  const readOnly = user.role === 'viewer';
  const send = async (assignee: string | null) => {
    setBusy(true);
    setError(null);
    try {
      const body: FindingTriageRequest = { assignee };
      const changed = await request<Finding>(`/api/findings/${f.id}`, { method: 'PATCH', body });
      onDone(changed, assignee === null ? `Finding ${f.id} unassigned.` : `Finding ${f.id} assigned to you.`);
    } catch (e) {
      setError(isApiError(e) ? `Not assigned: ${e.message}` : `Cannot reach the server, not assigned: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="assignee-line">
      {a !== null && <span className={`assignee${mine ? ' mine' : ''}`}>{mine ? 'assigned to you' : `assigned to ${a}`}</span>}
      {!readOnly && (
        <button
          type="button"
          className="btn small ghost assign-btn"
          disabled={busy}
          aria-label={mine ? `Unassign finding ${f.id}` : `Assign finding ${f.id} to me${a === null ? '' : ` (now ${a}'s)`}`}
          onClick={() => void send(mine ? null : user.name)}
        >
          {mine ? 'Unassign' : 'Assign to me'}
        </button>
      )}
      {error !== null && (
        <span className="assign-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
