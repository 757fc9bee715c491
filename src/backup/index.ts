// In: a data directory (every file of the store, findings, users, assist), read while nml serve writes it or not.
// Out: backups (a folder per backup, its MANIFEST.json last), their verification, a restore into an empty folder, and serve's schedule of them.
// Never: writes the data directory it backs up, or removes a folder that is not a backup of this data directory.
export { takeBackup } from './take.js';
export type { BackupOptions } from './take.js';
export { verifyBackup } from './verify.js';
export type { VerifyReport } from './verify.js';
export { restoreBackup, nextSteps } from './restore.js';
export type { RestoreResult } from './restore.js';
export { readManifest, MANIFEST_FILE } from './manifest.js';
export type { Manifest, ManifestFile } from './manifest.js';
export { BackupSchedule } from './schedule.js';
export type { BackupListener, BackupRun, BackupStatus, ScheduleOptions } from './schedule.js';
export { keptBackups } from './folders.js';
export type { KeptBackup } from './folders.js';
