/**
 * Who a finding is assigned to on the Alerts page, the night shift's "this one is mine": the picker on a
 * row's status line (me, another analyst or admin, nobody: `PATCH /api/findings/:id` `assignee`; the
 * status stays), the same picker for the ticked rows' bar (AssignPicker), and the Assigned menu (anyone, me, unassigned) that sets `assignee=` of the address and
 * of GET /api/findings as the API reads it (`me`, `none`, or a user's name in a hand-edited link).
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { request, isApiError } from '../../lib/api.ts';
import { keptAssignees, readAssignees } from '../../lib/assignees.ts';
import type { Finding, FindingTriageRequest } from '../../lib/types.ts';
import { useAuth } from '../../app/auth.ts';
import { useDisclosureClose } from '../../app/disclosure.ts';

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
 * The names findings may be assigned to when a picker opens: those kept (lib/assignees.ts) while fresh;
 * else read again, the older ones shown meanwhile. Null while the first read is under way, or when it
 * failed (the picker still offers me and nobody); a failed read is tried again at the next opening.
 */
function useAssignees(open: boolean): { names: string[] | null; failed: boolean } {
  const [names, setNames] = useState<string[] | null>(() => keptAssignees()?.names ?? null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!open) return;
    const kept = keptAssignees();
    setNames(kept?.names ?? null);
    setFailed(false);
    if (kept?.fresh === true) return;
    let live = true;
    readAssignees().then(
      (r) => {
        if (live) setNames(r);
      },
      () => {
        if (live) setFailed(true);
      },
    );
    return () => {
      live = false;
    };
  }, [open]);
  return { names, failed };
}

interface PickerProps {
  /** the trigger's accessible name */
  label: string;
  /** what the trigger shows */
  text: string;
  className: string;
  /** who it is assigned to now (a row's), so that choice is marked and nobody is offered only when someone is; undefined: many findings */
  current?: string | null;
  disabled?: boolean;
  /** a user's name, or null for nobody */
  onPick(assignee: string | null): void;
}

/**
 * Assign to: a small disclosure (as the top bar's menus: Tab reaches its buttons, Escape or a click
 * elsewhere closes it) of me first, the other users who may be assigned findings, and nobody.
 */
export function AssignPicker({ label, text, className, current, disabled, onPick }: PickerProps) {
  const { user } = useAuth();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLSpanElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDisclosureClose(open, close, box, trigger);
  const { names, failed } = useAssignees(open);
  const id = useId();
  const pick = (a: string | null) => {
    setOpen(false);
    trigger.current?.focus();
    onPick(a);
  };
  const others = (names ?? []).filter((n) => n !== user.name);
  return (
    <span className="menu assign-picker" ref={box}>
      <button type="button" ref={trigger} className={className} disabled={disabled} aria-expanded={open} aria-controls={open ? id : undefined} aria-label={label} onClick={() => setOpen(!open)}>
        {/* its own box: a long name ends in an ellipsis inside the chip (text in the flex button itself was cut mid-letter) */}
        <span className="chip-text">{text}</span>
        <span className="caret" aria-hidden="true">
          ▾
        </span>
      </button>
      {open && (
        <span className="menu-pop assign-pop" id={id} role="group" aria-label={label}>
          <button type="button" className="btn ghost small" aria-current={current === user.name || undefined} onClick={() => pick(user.name)}>
            me ({user.name})
          </button>
          {others.map((n) => (
            <button key={n} type="button" className="btn ghost small" aria-current={current === n || undefined} onClick={() => pick(n)}>
              {n}
            </button>
          ))}
          {names === null && !failed && <span className="faint assign-pop-note">reading the users…</span>}
          {names === null && failed && <span className="faint assign-pop-note">the other users could not be read</span>}
          {current !== null && (
            <button type="button" className="btn ghost small assign-nobody" onClick={() => pick(null)}>
              nobody (unassign)
            </button>
          )}
        </span>
      )}
    </span>
  );
}

/**
 * Who a finding is assigned to, on its status line: a small picker showing "you", "carol" or "assign"
 * (nobody yet) that assigns it to me, another user or nobody (`PATCH /api/findings/:id` `assignee`; the
 * status stays); a viewer sees the name only. `onDone` gets the finding as the server now has it.
 */
export function AssigneeLine({ f, onDone }: { f: Finding; onDone(f: Finding, said: string): void }) {
  const { user } = useAuth();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const a = assigneeOf(f);
  const mine = a !== null && a === user.name;
  const readOnly = user.role === 'viewer';
  const send = async (assignee: string | null) => {
    if (assignee === a || busy) return;
    setBusy(true);
    setError(null);
    try {
      const body: FindingTriageRequest = { assignee };
      const changed = await request<Finding>(`/api/findings/${f.id}`, { method: 'PATCH', body });
      onDone(changed, assignee === null ? `Finding ${f.id} unassigned.` : `Finding ${f.id} assigned to ${assignee === user.name ? 'you' : assignee}.`);
    } catch (e) {
      setError(isApiError(e) ? `Not assigned: ${e.message}` : `Cannot reach the server, not assigned: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };
  const name = a === null ? null : mine ? 'you' : a;
  if (readOnly) return name === null ? null : <span className={`assignee${mine ? ' mine' : ''}`}>{name}</span>;
  return (
    <>
      <AssignPicker
        label={a === null ? `Assign finding ${f.id}` : `Finding ${f.id} is assigned to ${name}; assign it to another or nobody`}
        text={name ?? 'assign'}
        className={`assignee-chip${a === null ? ' nobody' : ''}${mine ? ' mine' : ''}`}
        current={a}
        onPick={(x) => void send(x)}
      />
      {error !== null && (
        <span className="assign-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
