/** Tokens for retrieval: words in their compatibility form (NFKC) and lower case, stop words out, CJK runs as character bigrams. */
import { compatibleText } from '../core/index.js';

const STOP = new Set(
  ('a an and are as at be been but by for from has have he her his i if in into is it its of on or our she ' +
    'that the their them they this to was we were which who will with you your not no can could would should ' +
    'after also about over more than said says its which while there these those been being did do does had ' +
    'how new one two all any may out up so such what when where why just only other some very us via per').split(' '),
);

const WORD = /[\p{L}\p{N}_]+(?:[.\-'][\p{L}\p{N}_]+)*/gu;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]+/u;

function cjkBigrams(run: string, out: string[]): void {
  const chars = [...run];
  if (chars.length === 1) out.push(chars[0] as string);
  for (let i = 0; i + 1 < chars.length; i++) out.push((chars[i] as string) + (chars[i + 1] as string));
}

/**
 * The words of `text`. Full-width letters and digits (`ＳＳＨ`, `２２番ポート`, common in Japanese reports) and
 * half-width katakana (`ｱﾗｰﾄ`) read as their usual forms, as the incident base's text match reads them
 * (fold.ts): until 2026-12 `ＳＳＨ` and `SSH` were two words, so a report typed on a Japanese keyboard shared none with one that was not.
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const plain = compatibleText(text);
  for (const m of plain.toLowerCase().matchAll(WORD)) {
    const w = m[0];
    if (CJK.test(w)) {
      for (const piece of w.split(/([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]+)/u)) {
        if (piece === '') continue;
        if (CJK.test(piece)) cjkBigrams(piece, out);
        else if (piece.length > 1 && !STOP.has(piece)) out.push(piece);
      }
      continue;
    }
    if (w.length < 2 || w.length > 40 || STOP.has(w) || /^\d{1,3}$/.test(w)) continue;
    out.push(w.replace(/'s$/, ''));
  }
  return out;
}

/**
 * Words of the report template (labels of alert reports, the demo reports and response steps, the demo
 * marker): every report shares them, so they say nothing about the incident. A severity grade is none: a `Severity:`
 * line's grade is the field's value, read by neither search nor the first action (SEVERITY_GRADE), and the same word in
 * a sentence (`a critical flaw`, `high volume`) is the text's own. Until 2026-12 the grades were template words, so
 * `Severity: high` put "high" among the Assist page's report-template words, and BM25 still matched on it: the demo's
 * ransomware and beaconing incidents were listed for an SSH brute force that shared only `Severity: critical`.
 */
export const TEMPLATE_WORDS = new Set(
  tokenize(
    'event summary detail id date time log first last seen source destination port protocol direction connection directionality ' +
      'severity priority vendor classification occurrence count cvss score threat name category application hostname host asset ' +
      'address ip action initial response immediate containment remediation countermeasure fundamental permanent fix root-cause ' +
      'long-term outcome result status resolution subject title demo ' +
      'イベント概要 送信元IPアドレス 宛先IPアドレス 送信元ポート 宛先ポート プロトコル 通信方向 脅威名 重要度 対象ホスト 検知時刻 検知日時 ' +
      // NML's own findings as the Alerts page and the log store write them: columns, statuses, links, explanation words
      'nml nml-detect finding findings detector model entity why threshold sightings ago evidence pivot board evidencepivot evidenceboardpivot ' +
      'open acknowledged resolved false-positive most suspicious scored path raised lowered ' +
      '機器の動作 初動対応 暫定対応 暫定対策 暫定措置 恒久対応 恒久対策 恒久措置 根本対応 根本対策 結果 状況 対応結果 件名',
  ),
);

/** A line's `Label:` (after list marks), up to 40 characters before its colon. */
const LINE_LABEL = /^([ \t#*>-]*)([^\n:：]{1,40})([:：])/gmu;

/**
 * A field's value that says there is none (`Remediation: none`, an Authentication-Results header's `dkim=none`,
 * `暫定対応：なし`), after any label: it is no word two incidents share. Only as a value: `none` in a sentence (`none of
 * the data`) is the text's own, and a stop word `none` lowered CASIE's P@5 under the shipped weights (93.3 to 93.1).
 */
const EMPTY_VALUE = /([:：=]\s*)(none|null|nil|n\/a|なし|無し)(?![\p{L}\p{N}_])/giu;

/**
 * The grade after a severity label (`Severity: high`, `Vendor Priority: critical`, `Risk level: medium`, `重要度: 高`),
 * as a field's value and not inside a sentence: it is the report's rating, no word two incidents share (the record
 * keeps it as `severity`, text-rules.ts).
 */
const SEVERITY_GRADE = /((?<![\p{L}\p{N}_])(?:vendor\s+)?(?:severity|priority|risk(?:\s+level)?|threat\s+level|urgency|重要度|深刻度|優先度)\s*[:：=]\s*)(critical|high|medium|moderate|low|informational|info|緊急|高|中|低)(?![\p{L}\p{N}_])/giu;

/** A text with its severity labels' grades (SEVERITY_GRADE) blanked, each character a space, so that offsets stay. */
export function withoutGrades(text: string): string {
  return text.replace(SEVERITY_GRADE, (_m, before: string, grade: string) => before + ' '.repeat(grade.length));
}

/**
 * A text with its fields' values that are no word of the incident blanked, offsets kept: severity grades
 * (`withoutGrades`) and empty values (EMPTY_VALUE). Search (`searchTokens`) and the first action's word count
 * (`first-action.ts` `contentWords`) both read it; until 2026-12 the first action blanked grades only, so `Remediation:
 * none` in two reports was a word they shared there while the similar-incidents list did not show it.
 */
export function withoutFieldValues(text: string): string {
  return withoutGrades(text).replace(EMPTY_VALUE, (_m, before: string, value: string) => before + ' '.repeat(value.length));
}

/**
 * The words similar-incident search reads (BM25's index and queries): `tokenize`'s, less empty values (EMPTY_VALUE),
 * severity grades (SEVERITY_GRADE) and the labels of `Label: value` lines whose words are all report-template words (`Date:`, `Source IP:`, `First
 * action:`). A field's label is in every report that has the field, so it made any two reports similar: `date`,
 * `source` and `severity` were words every similar incident of the demo base shared (operator walk, 2026-12). Only the label goes: the same words in
 * a sentence or a value (`a critical flaw`, `threat actors`) are the text's own, and leaving them out everywhere
 * lowered Hackmageddon's P@5 under the shipped weights (66.9 to 66.6).
 */
export function searchTokens(text: string): string[] {
  const valued = withoutFieldValues(text);
  const unlabelled = valued.replace(LINE_LABEL, (line, lead: string, label: string, colon: string) => {
    const words = tokenize(label);
    return words.length > 0 && words.every((w) => TEMPLATE_WORDS.has(w)) ? `${lead}${' '.repeat(label.length)}${colon}` : line;
  });
  return tokenize(unlabelled);
}
