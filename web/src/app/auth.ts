/** Who is logged in, shared through context: the shell reads it, the user menu logs out. */
import { createContext, useContext } from 'react';
import type { UserInfo } from '../lib/types.ts';

export interface AuthState {
  user: UserInfo;
  /** false when the server did not end the session (the user is still logged in) */
  logout(): Promise<boolean>;
}

export const AuthContext = createContext<AuthState | null>(null);

export function useAuth(): AuthState {
  const a = useContext(AuthContext);
  if (a === null) throw new Error('useAuth outside the logged-in shell');
  return a;
}

/** Whether the logged-in user reads only (the viewer role): no triage, nothing saved to the incident base. */
export function useReadOnly(): boolean {
  return useAuth().user.role === 'viewer';
}
