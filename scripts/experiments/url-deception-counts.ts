/**
 * Experiment (not part of the product): how often does the userinfo-deception rule (detect/url/deception.ts)
 * fire, before and after it asked whether a user name reads as a host (person and file names, mailboxes,
 * the model's popularity table)? Counts fires of the old rule (deception.ts at OLD_REV, default the commit
 * before the change) and of the new one, with and without the shipped model's popularity table, over:
 * the URL sets (urls-iscx-phishtank, urls-more), benign and malicious rows; the distinct URLs of the loghub
 * logs (loghub-2k, as live scoring finds them: LineUrls), all benign; a hand list of person and file names
 * before @, which should stay quiet; a hand list of real deceptions, which should all fire.
 *
 *   node --import tsx scripts/experiments/url-deception-counts.ts
 *   DATA=../shared/datasets OLD_REV=b08c7af …
 *
 * A data set that is absent is said so and left out; the hand lists always run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { URL_SETS, loadUrlRows } from '../../src/detect/url/data.js';
import { userinfoDeception } from '../../src/detect/url/deception.js';
import { LineUrls } from '../../src/detect/url/line-urls.js';
import type { PopularityTable } from '../../src/detect/url/popularity.js';
import { UrlDetector } from '../../src/detect/url/url-detector.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dataDir = resolve(process.env.DATA ?? join(root, '../shared/datasets'));
const oldRev = process.env.OLD_REV ?? 'b08c7afa222ea7768ebb76e15204e502ada49dff';

/** deception.ts as it was at `rev`, its relative imports pointed at this tree's sources. */
async function oldRule(rev: string): Promise<(url: string) => unknown> {
  let text: string;
  try {
    text = execFileSync('git', ['show', `${rev}:src/detect/url/deception.ts`], { cwd: root, encoding: 'utf8' });
  } catch (e) {
    throw new Error(`url-deception-counts: cannot read src/detect/url/deception.ts at ${rev} (${(e as Error).message.split('\n')[0]}); set OLD_REV to a commit of this repository`);
  }
  const srcDir = join(root, 'src/detect/url');
  text = text.replace(/from '(\.{1,2}\/[^']+)'/g, (_, p: string) => `from '${pathToFileURL(join(srcDir, p)).href}'`);
  const dir = mkdtempSync(join(tmpdir(), 'url-deception-old-'));
  const file = join(dir, 'deception-old.ts');
  writeFileSync(file, text);
  try {
    const mod = (await import(pathToFileURL(file).href)) as { userinfoDeception: (url: string) => unknown };
    return mod.userinfoDeception;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Person and file names before @: none of them names a host a reader would take the URL for. */
const PEOPLE_AND_FILES = [
  'ftp://al.de@ftp.example.org/',
  'ftp://maria.lu@ftp.example.org/pub/',
  'http://anna.it@intranet.example.com/',
  'http://john.li@files.example.net/',
  'http://jan.de@files.example.net/',
  'https://marco.ch@git.example.org/r.git',
  'https://sofia.es@git.example.org/r.git',
  'http://tom.at@cam.example.net/',
  'http://lee.me@nas.example.com/',
  'http://kim.us@nas.example.com/',
  'http://ana.pt@nas.example.com/',
  'http://eva.cz@nas.example.com/',
  'http://ivan.ru@nas.example.com/',
  'http://john.smith@example.org/',
  'http://first.name@host.example/',
  'http://Invoice.zip@evil.tk/',
  'http://Report.zip@downloads.example.com/',
  'http://Holiday.mov@media.example.com/',
  'http://Weather.app@apps.example.com/',
  'ftp://john%40gmail.com@ftp.example.org/pub/',
  'ftp://jane.doe%40outlook.com:pw@ftp.example.org/',
  'ftp://anonymous@ftp.example.org/',
];

/** Real deceptions: the user name reads as a host other than the one the URL leads to. */
const DECEPTIONS = [
  'http://paypal.com@evil.tk/',
  'http://www.google.com@1.2.3.4/',
  'http://paypal.com:login@evil.tk/webscr',
  'http://paypal%2Ecom@evil.tk/',
  'http://paypal\u3002com@evil.tk/',
  'http://p\u0430ypal.com@evil.tk/',
  'http://accounts-google.com.verify@evil.tk/',
  'http://10.0.0.1@evil.tk:8080/x',
  'http://www.paypal.de@evil.tk/',
  'http://login.microsoftonline.com@evil.tk/',
  'http://appleid.apple.com@203.0.113.9/',
  'http://amazon.co.uk@evil.tk/',
  'https://github.com\u2215kubernetes\u2215archive@v1271.zip/',
  'http://irs.gov@evil.tk/',
  // a raw second @ is no client's mailbox login (one writes %40): the host after it shows as plainly
  'http://login@paypal.com@evil.tk/',
];

interface Rule {
  name: string;
  fires: (url: string) => boolean;
}

function count(rules: readonly Rule[], label: string, urls: readonly string[], show = 0): void {
  const cells = rules.map((r) => {
    const hits = urls.filter((u) => r.fires(u));
    for (const u of hits.slice(0, show)) console.log(`    ${r.name} fires: ${u}`);
    return `${r.name} ${hits.length}`;
  });
  console.log(`${label.padEnd(44)} ${String(urls.length).padStart(7)} URLs: ${cells.join(', ')}`);
}

/** Every URL sighting of the loghub logs, in line order (a URL once per line it is on). */
function loghubUrls(): string[] | null {
  const dir = join(dataDir, 'loghub-2k');
  if (!existsSync(dir)) return null;
  const finder = new LineUrls(false);
  const urls: string[] = [];
  for (const system of readdirSync(dir, { withFileTypes: true })) {
    if (!system.isDirectory()) continue;
    for (const f of readdirSync(join(dir, system.name)).filter((n) => n.endsWith('.log'))) {
      for (const line of readFileSync(join(dir, system.name, f), 'utf8').split('\n')) {
        for (const u of finder.find(line) ?? []) urls.push(u.url);
      }
    }
  }
  return urls;
}

const detector = UrlDetector.load();
const table: PopularityTable | null = detector.popularity;
if (table === null) console.log('note: the shipped model has no popularity table; "new+table" is "new"');
const old = await oldRule(oldRev);
const rules: Rule[] = [
  { name: 'old', fires: (u) => old(u) !== null },
  { name: 'new', fires: (u) => userinfoDeception(u) !== null },
  { name: 'new+table', fires: (u) => userinfoDeception(u, table) !== null },
];
console.log(`old rule: deception.ts at ${oldRev}; table: the shipped model's (${table?.size ?? 0} domains)`);

const present = URL_SETS.filter((s) => existsSync(join(dataDir, s, 'urls.csv.gz')));
for (const s of URL_SETS.filter((x) => !present.includes(x))) console.log(`ABSENT: ${join(dataDir, s, 'urls.csv.gz')} (URL set ${s} left out)`);
if (present.length > 0) {
  const rows = loadUrlRows(dataDir, present);
  count(rules, `URL sets (${present.join(', ')}): all rows`, rows.map((r) => r.url), 5);
  count(rules, '  benign rows', rows.filter((r) => r.label === 0).map((r) => r.url));
  count(rules, '  malicious rows', rows.filter((r) => r.label === 1).map((r) => r.url));
  console.log(`  rows with @ in the authority: ${rows.filter((r) => /^[^/?#\\]*@/.test(r.url)).length}`);
}
const logs = loghubUrls();
if (logs === null) console.log(`ABSENT: ${join(dataDir, 'loghub-2k')} (log URLs left out)`);
else {
  count(rules, 'loghub-2k log URLs (every sighting, benign)', logs);
  count(rules, 'loghub-2k log URLs (distinct, benign)', [...new Set(logs)], 5);
}
count(rules, 'hand list: person and file names (quiet)', PEOPLE_AND_FILES, 30);
count(rules, 'hand list: real deceptions (fire)', DECEPTIONS);
const missed = DECEPTIONS.filter((u) => !rules[2]!.fires(u));
if (missed.length > 0) console.log(`  new+table misses: ${missed.join(' ')}`);
await detector.close();
