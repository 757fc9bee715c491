/** One entry point: detects the input format (alert report, e-mail, VERIS JSON, plain text) and normalizes it. */
import { AppError } from '../core/index.js';
import { looksLikeReport, normalizeReport } from './alert-report.js';
import { looksLikeEmail, normalizeEmail } from './email.js';
import { emptyRecord, type IncidentRecord, type InputFormat } from './record.js';
import { applyStepRules, applyTextRules, firstLineSummary } from './text-rules.js';
import { looksLikeVeris, normalizeVeris } from './veris.js';
import { addInternalAssets } from './alert-report.js';
import { applyFinding } from './finding-paste.js';
import { applyPanosLineOf } from './panos.js';
import { eveLines, looksLikeEve, normalizeEve, normalizeFirstEve } from './eve.js';

/** Largest input normalized (a report or a thread, not a mailbox archive). */
export const MAX_INPUT_BYTES = 8 * 1024 * 1024;

/**
 * A report is text: an empty one, or bytes that are not text (a NUL, or more than a tenth control characters in its
 * first 8 KiB: an image, an archive, random bytes), would be read as an incident of nothing, or of whatever words the
 * noise happened to spell. Every reader goes through `normalize`, so the CLI, the HTTP API and the web upload all
 * refuse it. `where` names the input in the message (`image.png`, `stdin`, `the report`).
 */
export function checkText(data: Buffer | string, where = 'the report'): void {
  const text = typeof data === 'string' ? data : data.toString('utf8');
  if (text.trim() === '') throw new AppError('ASSIST_NO_INPUT', 'bad_request', `assist: ${where} is empty; give a report with text in it`, { where });
  const head = typeof data === 'string' ? Buffer.from(data.slice(0, 8192), 'utf8').subarray(0, 8192) : data.subarray(0, 8192);
  let control = 0;
  for (const b of head) if (b === 0 || (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27)) control++;
  if (head.includes(0) || control > head.length / 10) {
    throw new AppError('ASSIST_NOT_TEXT', 'bad_request', `assist: ${where} is not text (a report, an e-mail or JSON); convert it to text first`, { where });
  }
}

export function normalizeText(text: string): IncidentRecord {
  const rec = emptyRecord('text', { body: text });
  // a pasted PAN-OS line is read for its columns first, as an alert report's is: they win over the words around it
  applyPanosLineOf(rec, 'body', text);
  applyFinding(rec, 'body', text);
  firstLineSummary(rec, 'body', text);
  applyTextRules(rec, 'body', text);
  applyStepRules(rec, 'body', text);
  addInternalAssets(rec);
  return rec;
}

function detect(data: Buffer, text: string): InputFormat {
  const t = text.trimStart();
  if (t.startsWith('{')) {
    try {
      const v: unknown = JSON.parse(t);
      if (looksLikeVeris(v) || looksLikeEve(v)) return 'json';
    } catch {
      // not one JSON value: lines of eve.json, else fall through
      if (eveLines(t) !== null) return 'json';
    }
  }
  if (looksLikeEmail(data)) return 'email';
  if (looksLikeReport(text)) return 'alert';
  return 'text';
}

/** Normalizes an input; `format` forces a reader instead of detection. */
export async function normalize(data: Buffer | string, format?: InputFormat): Promise<IncidentRecord> {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (buf.length > MAX_INPUT_BYTES) {
    throw new AppError('ASSIST_INPUT_TOO_LARGE', 'bad_request', `assist: the input is ${buf.length} bytes, more than ${MAX_INPUT_BYTES}; send one report or thread`, { limit: MAX_INPUT_BYTES });
  }
  checkText(data);
  const text = typeof data === 'string' ? data : buf.toString('utf8');
  const fmt = format ?? detect(buf, text);
  switch (fmt) {
    case 'json': {
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch (e) {
        const events = eveLines(text);
        if (events !== null) return normalizeFirstEve(events);
        throw new AppError('ASSIST_JSON_INVALID', 'bad_request', `assist: the input is not JSON: ${(e as Error).message}`);
      }
      if (looksLikeEve(v)) return normalizeEve(v);
      if (!looksLikeVeris(v)) throw new AppError('ASSIST_JSON_INVALID', 'bad_request', 'assist: the JSON is neither a VERIS incident (no action, actor, asset or summary) nor a Suricata EVE event (no event_type with src_ip or dest_ip); send one of those, or the text with format=text');
      return normalizeVeris(v);
    }
    case 'email':
      // asked for an e-mail, a text with no header line first would be read as one empty message
      if (!/^(?:From |[!-9;-~]+:)/.test(text.trimStart())) {
        throw new AppError('ASSIST_EMAIL_INVALID', 'bad_request', 'assist: the input is not an e-mail: it does not start with a header line (From:, Subject:, …) or an mbox "From " line; send the whole message (.eml or mbox), or the report with format=text', { message: 1 });
      }
      return normalizeEmail(buf);
    case 'alert':
      return normalizeReport(text);
    case 'text':
      return normalizeText(text);
  }
}
