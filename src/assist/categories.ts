/**
 * Incident categories by keyword rules (English and Japanese); each hit keeps the keyword's offsets. A keyword that
 * the text negates nearby (`not phishing`, `no malware found`, `a false positive`, `フィッシングではありません`,
 * `感染なし`) does not count for its category: a report that rules phishing out is not a phishing incident.
 */

export const CATEGORIES = [
  'brute-force',
  'dos',
  'phishing',
  'ransomware',
  'malware',
  'web-attack',
  'vulnerability',
  'account-compromise',
  'data-breach',
  'defacement',
  'scan',
  'misuse',
  'loss-theft',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** A link in the text, defanged or not (`https://`, `hxxps://`, `www.`, `example[.]com`). */
const LINK = /\b(?:h[tx]{2}ps?|ftp)(?::|\[:\])\/\/|\bwww\.|\w\[\.\]\w/iu;
/** Where a sentence ends: a line break, `。`, `!`, `?`, `;`, or a `.` before a blank or the end. */
const SENTENCE_END = /[\n。!?;]|\.(?=\s|$)|…/gu;

/** The sentence around text[start, end). */
function sentenceAround(text: string, start: number, end: number): string {
  let from = 0;
  SENTENCE_END.lastIndex = 0;
  for (const m of text.slice(0, start).matchAll(SENTENCE_END)) from = m.index + m[0].length;
  SENTENCE_END.lastIndex = 0;
  const after = SENTENCE_END.exec(text.slice(end));
  return text.slice(from, after === null ? text.length : end + after.index);
}

/** Entering credentials counts as phishing only when the sentence says where: a link, page, site, form or mail. */
const CREDENTIAL_PLACE = /\b(?:link|url|page|site|form|portal|e-?mail|mail|message)s?\b|\bh[tx]{2}ps?(?::|\[:\])\/\//iu;

/**
 * Order matters: the first rule that matches a text decides (more specific rules first). A rule's third element is a
 * further condition on the text and the keyword's offsets.
 */
type Rule = [Category, RegExp, ((text: string, start: number, end: number) => boolean)?];
const RULES: Rule[] = [
  ['ransomware', /ransom\w*|ランサム\S*|身代金/iu],
  ['brute-force', /brute[ -]?force|password spray\w*|credential stuffing|login attempts?|failed (?:password|logins?)|総当たり|ブルートフォース|パスワードリスト/iu],
  ['dos', /\bd?dos\b|denial[ -]of[ -]service|flood(?:ing)?\b|サービス妨害/iu],
  ['phishing', /phish\w*|spear[ -]?phish\w*|smishing|business e-?mail compromise|\bbec\b|フィッシング|標的型(?:攻撃)?メール|なりすましメール/iu],
  // credential harvesting without the word: a spoofed or look-alike sender, credentials entered on a link
  ['phishing', /spoofed (?:sender|e-?mail|from|domain|address|display name|reply-to)|sender (?:was |is |has been )?spoofed|look-?alike (?:domain|sender|reply-to|address|url|link|site|page)|typo-?squat\w*|偽装された(?:送信元|差出人|ドメイン)|偽の?ログイン(?:ページ|画面)/iu],
  [
    'phishing',
    /\b(?:entered|submitted|typed|provided|gave|input|keyed in)\s+(?:(?:his|her|their|the|its|a|an|my|our|your|own|corporate|company|domain|work|o365|office ?365|microsoft|google|account|login|network|vpn|sso|\w+'s)\s+){0,3}(?:credentials?|passwords?|passcodes?|login details|log-?in|username and password)\b|(?:ID|アカウント|認証情報|パスワード)[^。\n]{0,10}(?:を)?入力(?:し|した|してしまった)/iu,
    (text, start, end) => CREDENTIAL_PLACE.test(sentenceAround(text, start, end)),
  ],
  // failed sender authentication is phishing when the mail carries a link
  ['phishing', /\b(?:spf|dkim|dmarc)\s*[=:]\s*(?:soft)?fail\w*/iu, (text) => LINK.test(text)],
  ['defacement', /defac\w*|改ざん/iu],
  ['malware', /malware|trojan|botnet|\bbot\b|worm\b|virus|spyware|backdoor|infostealer|stealer|\brat\b|\bc2\b|command[ -]and[ -]control|マルウェア|ウイルス|感染/iu],
  ['web-attack', /sql injection|\bsqli\b|cross[ -]site|\bxss\b|web shell|webshell|wp-login|wordpress|directory traversal|path traversal|\brce\b|remote code execution|SQLインジェクション|クロスサイト/iu],
  ['vulnerability', /vulnerab\w*|\bcve-\d{4}-\d+|exploit\w*|zero[ -]day|0-day|\b(?:un)?patch\w*|脆弱性/iu],
  ['account-compromise', /account takeover|compromised account|hijack\w*|stolen credentials|unauthori[sz]ed (?:access|login)|不正ログイン|不正アクセス|アカウント乗っ取り/iu],
  // credentials taken from a host or replayed: they stay valid after the host is cleaned, so the exposed accounts are
  // reset (NIST's impersonation); a malware infection that also dumps them keeps the malware rule above. An lsass
  // named with a dump within three words, none of them a negation (`lsass was not dumped` is none)
  [
    'account-compromise',
    /\bmimikatz\b|\bsekurlsa\b|credential[ -]?dump\w*|\blsass(?:\.exe)?(?:\W+(?!(?:not|no|never|t|nor|without)\b)\w+){0,3}?\W+(?:dump\w*|minidump|memory)\b|\b(?:dump\w*|minidump|procdump\w*)(?:\W+(?!(?:not|no|never|t|nor|without)\b)\w+){0,3}?\W+lsass\b|\bdump(?:ed|ing|s)?\s+(?:(?:the|all|domain|cached|local|user|admin|account)\s+){0,2}(?:credentials?|password hash\w*|(?:ntlm )?hashes)\b|\bpass[ -]the[ -](?:hash|ticket)\b|\bdcsync\b|kerberoast\w*|golden ticket|ntds\.dit|\bhashdump\b|(?:認証情報|資格情報)の?(?:窃取|ダンプ|抜き取り)|クレデンシャル・?ダンプ|パス・?ザ・?ハッシュ/iu,
  ],
  ['data-breach', /data breach|breach\w*|leak\w*|exposed|stolen data|exfiltrat\w*|personal (?:data|information)|records? of|情報漏え?洩?い?|漏えい|流出/iu],
  ['scan', /port ?scan\w*|scanning|reconnaissance|probe|スキャン/iu],
  ['loss-theft', /laptop stolen|stolen laptop|lost (?:laptop|device|usb)|theft|紛失|盗難/iu],
  ['misuse', /misuse|privilege abuse|insider|policy violation|内部不正/iu],
];
const GLOBAL_RULES = RULES.map(([c, re, when]) => [c, new RegExp(re.source, `${re.flags}g`), when] as const);

/** Where a clause starts again after a negation (`not phishing but malware`: malware is not negated). */
const CLAUSE_BREAK = /[\n。.!?;:：、]|\b(?:but|however|rather|instead|although|though|yet|it is|it's|it was|only)\b|が|しかし|ただし/giu;
/** A negation at most three words before a keyword, in its clause. */
const NEG_BEFORE = /(?:\b(?:not(?!\s+(?:only|just|until|yet|least)\b)|no(?!\s+(?:one|longer|later|sooner|matter|doubt)\b)|non|never|nor|without|neither|ruled out|free of|absence of)|n['’]t)(?:[\s,/-]+[^\s,/-]+){0,3}?[\s,/-]*$/iu;
/** A negation right after an English keyword (`malware: none`, `phishing was ruled out`, `malware not found`). */
const NEG_AFTER = /^\s*(?:[:=]\s*(?:none|no|negative|false|n\/a)\b|(?:was|were|is|are|has been|have been)?\s*(?:ruled out|not (?:found|detected|observed|confirmed|present|seen|involved|dumped|accessed|run|executed)|negative)\b)/iu;
/** A Japanese negation after a keyword, in its clause (`ではありません`, `ではない`, `なし`, `されませんでした`). */
const NEG_AFTER_JA = /^[^。\n、]{0,14}?(?:ではありません|ではない|ではなく|ではなかった|じゃない|じゃありません|なし|無し|ありません|(?:し|され|でき)て?い?ませんでした|(?:し|され|でき)て?い?ません|されず|見つかりませんでした|見つかっていません|確認されなかった)/u;
/** A sentence that calls the alert a false positive or benign (not `not a false positive`, nor `a benign-looking file`). */
const FALSE_POSITIVE = /(?<!\bnot (?:a |an )?|\bno )\bfalse[ -]positives?\b|\b(?:is|was|are|were|as|deemed|confirmed|determined|be)\s+benign\b(?!-)|誤検知|誤検出|過検知/iu;

/** Whether the text negates the keyword at [start, end): nearby before (English), right after, or the sentence calls it a false positive. */
export function negated(text: string, start: number, end: number): boolean {
  const window = text.slice(Math.max(0, start - 80), start);
  let cut = 0;
  for (const m of window.matchAll(CLAUSE_BREAK)) cut = m.index + m[0].length;
  const before = window.slice(cut);
  if (NEG_BEFORE.test(before)) return true;
  const after = text.slice(end, end + 60);
  if (NEG_AFTER.test(after)) return true;
  // a Japanese keyword may run into its negation (`ランサム\S*` takes `ランサムウェアではありません` whole)
  if (NEG_AFTER_JA.test(text.slice(start + 1, end + 40))) return true;
  return FALSE_POSITIVE.test(sentenceAround(text, start, end));
}

/** The first keyword of a rule the text does not negate (and that meets the rule's condition). */
function firstHit(text: string, re: RegExp, when: ((text: string, start: number, end: number) => boolean) | undefined): { start: number; end: number } | null {
  re.lastIndex = 0;
  for (const m of text.matchAll(re)) {
    const start = m.index;
    const end = start + m[0].length;
    if (m[0].length === 0 || negated(text, start, end)) continue;
    if (when !== undefined && !when(text, start, end)) continue;
    return { start, end };
  }
  return null;
}

export interface CategoryHit {
  category: Category;
  start: number;
  end: number;
}

/** The category of a text and the keyword that decided it; null when no rule matches (or every match is negated). */
export function classify(text: string): CategoryHit | null {
  for (const [category, re, when] of GLOBAL_RULES) {
    const hit = firstHit(text, re, when);
    if (hit !== null) return { category, ...hit };
  }
  return null;
}

/** Every category whose rule matches the text, negated keywords left out (for the structured similarity of long texts). */
export function allCategories(text: string): Category[] {
  const out: Category[] = [];
  for (const [category, re, when] of GLOBAL_RULES) if (!out.includes(category) && firstHit(text, re, when) !== null) out.push(category);
  return out;
}
