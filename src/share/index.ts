/**
 * share: labelled, anonymized datasets for researchers, CERTs and vendors.
 * In: log lines and findings (plain records: the CLI and the server read them from the store), a key.
 * Out: anonymized lines, findings with their triage as labels, a manifest. Never: the key, triage notes, operators' names.
 */
export { CryptoPan } from './cryptopan.js';
export { keyFingerprint, Pseudonyms, readShareKey, SHARE_KEY_BYTES } from './key.js';
export { HostNames } from './names.js';
export { LineAnonymizer, type AnonymizedLine } from './anonymize.js';
export { FindingLabels, labelOf, SHARE_LABELS, type LineLabel, type ShareLabel, type SharedFindingSource } from './labels.js';
export { checkShareDir, writeShareExport, type ShareExportInput } from './export.js';
export { shareRecords, SHARE_FORMAT_VERSION, SHARE_SCHEME, SHARE_SCHEME_VERSION, type ShareLine, type ShareRecord, type ShareRecordsInput, type SharedFinding, type SharedLine } from './records.js';
export type { ShareManifest } from './manifest.js';
export { loadShareKey, MAKE_SHARE_KEY } from './key-file.js';
export { findingsLastSeenIn } from './findings-in.js';
export { shareTextOffThread, SHARE_BATCH_LINES, type ShareThreadInput } from './records-thread.js';
