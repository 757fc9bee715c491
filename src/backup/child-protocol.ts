/** What the backup process (take.child.ts) is sent, once, and what it answers, once. */

export interface BackupWork {
  dataDir: string;
  /** the folder to write (a new one) */
  out: string;
  includeSecrets: boolean;
  nmlVersion: string;
}

export type BackupAnswer =
  | { ok: true; startedAt: string; finishedAt: string; files: number; bytes: number; databases: number; dropped: number; problems: string[] }
  | { ok: false; code: string; message: string };
