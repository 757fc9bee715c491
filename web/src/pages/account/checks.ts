/** The client-side checks of the account forms (the server checks the same again) and error wording. */
import { isApiError } from '../../lib/api.ts';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 1024;
const NAME = /^[a-z][a-z0-9._-]{0,63}$/;

/** Why a new password would be refused, or null: `what` names it in the message, `repeat` is compared when given. */
export function passwordProblem(password: string, opts: { what?: string; repeat?: string } = {}): string | null {
  const what = opts.what ?? 'The new password';
  // UTF-16 code units, as the server counts
  const n = password.length;
  if (n < PASSWORD_MIN) return `${what} needs at least ${PASSWORD_MIN} characters (it has ${n}).`;
  if (n > PASSWORD_MAX) return `${what} may have at most ${PASSWORD_MAX} characters.`;
  if (opts.repeat !== undefined && opts.repeat !== password) return 'The two new passwords differ.';
  return null;
}

export function nameProblem(name: string): string | null {
  if (name === '') return 'Give the user a name.';
  if (!NAME.test(name)) return 'A user name is 1–64 lowercase letters, digits, dots, underscores or hyphens, starting with a letter.';
  return null;
}

/** The server's message for an API error, or what went wrong reaching it. */
export function errorText(e: unknown): string {
  if (isApiError(e)) return e.message;
  return `Cannot reach the server: ${e instanceof Error ? e.message : String(e)}`;
}
