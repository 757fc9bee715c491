/**
 * `nml findings list|set|assign|history|who|urls --data DIR`: the detectors' findings in `<data>/findings.db`, beside a
 * running server (SQLite WAL) or without one. `set` is the Alerts page's triage for a shell, `assign`
 * its "Assign to me" for anyone (a user of `<data>/users.db`); `who`
 * its who-line (who asked for a flagged URL's host, who is behind a flagged address);
 * `urls` writes the URL findings of a status one per line: false positives for
 * `nml train url --benign-urls`.
 */
import { Option, type Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { AppError, describeCause, isAppError, MAX_DATE_MS } from '../../core/index.js';
import { accessError, openForReading } from '../../store/index.js';
import { parseTimeExpr } from '../../search/index.js';
import { FINDING_STATUSES, FINDINGS_PAGE_MAX, FindingsStore, isFindingId as isId, parseStatuses, summedSources, synSourceText, TRIAGE_MATCH_MAX, FINDINGS_SORTS, type Finding, type FindingStatus, type FindingsQuery, type FindingsSort, type TriageEvent, type TriageMatch, type UnassignCause } from '../../detect/index.js';
import { loadConfig, requireStore, type CommonFlags, DATA_HELP } from '../open.js';
import { printWho } from './findings-who.js';
import { registerNotifyTest } from './findings-notify.js';
import { positiveInt } from './args.js';
import { escapeOption, flushOut, outputClosed, shownText, type EscapeMode } from '../output.js';

interface ListFlags extends CommonFlags {
  status?: FindingStatus[];
  detector?: string;
  entity?: string;
  minScore?: number;
  triagedSince?: string;
  assignee?: string;
  limit: number;
  cursor?: string;
  sort: FindingsSort;
  json?: boolean;
  escape: EscapeMode;
}

const statuses = (v: string): FindingStatus[] => parseStatuses(v, 'findings');
/** `set`'s one status: the list's message would ask for several, comma-separated, and `open,resolved` took the first */
function oneStatus(v: string): FindingStatus {
  const names = v.split(',').map((x) => x.trim());
  const known = FINDING_STATUSES as readonly string[];
  if (names.length !== 1 || !known.includes(names[0]!)) {
    const what = names.length === 1 ? `${JSON.stringify(v.slice(0, 40))} is not one of ${FINDING_STATUSES.join(', ')}` : `${JSON.stringify(v.slice(0, 80))} names ${names.length}`;
    throw new AppError('FINDINGS_STATUS_INVALID', 'bad_request', `findings set: status ${what}; name one status`, { known: FINDING_STATUSES });
  }
  return names[0] as FindingStatus;
}

/** A repeatable status option: `--status open --status acknowledged` and `--status open,acknowledged` alike (no default to add to). */
const moreStatuses = (v: string, before: FindingStatus[] | undefined): FindingStatus[] => [...new Set([...(before ?? []), ...statuses(v)])];

/**
 * The findings store of `--data`: read-only for the commands that only read (nothing is created or
 * changed, on a disk mounted read-only too), read-write for `set`. A file that cannot be got at (a
 * read-only mount, permissions) is said so, with what to do.
 */
export function openFindings(flags: CommonFlags, write = false): FindingsStore {
  const dir = resolve(loadConfig(flags).dataDir);
  const path = join(dir, 'findings.db');
  if (!existsSync(path)) {
    // a --data that is no store at all is a mistyped path (exit 2); a store whose server has not run yet is not
    requireStore(dir);
    throw new AppError('FINDINGS_NOT_FOUND', 'not_found', `findings: ${dir} has no findings.db yet; 'nml serve' makes it when it starts (give the server's --data)`, { dataDir: dir });
  }
  // a folder there was said as SQLite's "disk I/O error"
  if (statSync(path).isDirectory()) throw new AppError('FINDINGS_OPEN_FAILED', 'bad_request', `${path} is a folder, not the findings database; move it aside ('nml serve' then starts an empty findings.db) or give the server's --data`, { path });
  try {
    if (write) return new FindingsStore(path);
    let db: ReturnType<typeof openForReading>;
    try {
      db = openForReading(path);
    } catch (e) {
      throw new AppError('FINDINGS_OPEN_FAILED', 'unavailable', `cannot open the findings store ${path}: ${describeCause(e)}${damagedHint((e as { code?: unknown }).code)}`, undefined, e);
    }
    return new FindingsStore({ readOnly: db, path });
  } catch (e) {
    throw findingsAccess(e, path, write);
  }
}

/** What to do with a findings.db SQLite cannot read as a database (cut short, overwritten): said only for those errors. */
function damagedHint(code: unknown): string {
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' ? "; the file is damaged or not a database: restore it from a backup, or move it aside ('nml serve' then starts an empty one, and the findings in it are lost)" : '';
}

/** `e` as FINDINGS_OPEN_FAILED saying what to do when findings.db could not be got at; otherwise unchanged. */
const findingsAccess = (e: unknown, path: string, write: boolean): unknown => accessError(e, path, write, 'FINDINGS_OPEN_FAILED', 'findings');

/** store.list, with a bad cursor said in the CLI's words (the API's speak of a `next` value and sort=) */
function listOrCliCursorError(store: FindingsStore, q: FindingsQuery & { limit: number; cursor?: string }): ReturnType<FindingsStore['list']> {
  try {
    return store.list(q);
  } catch (e) {
    if (!isAppError(e) || e.code !== 'FINDINGS_CURSOR_INVALID') throw e;
    const why = /issued for sort=(\w+)/.exec(e.message);
    const text = why === null ? 'is not one nml findings list gave' : `was given for --sort ${why[1]}: keep the --sort of the run that gave it`;
    throw new AppError(e.code, e.kind, `findings: --cursor ${text}; pass the --cursor value its stderr printed, unchanged, with the same filters, or leave it out to start from the first`, e.details, e);
  }
}

/**
 * Every finding the query matches, page after page (at most `max`), from `start` (a cursor) when given;
 * returns the cursor after the last one when more match, else undefined.
 */
function* allFindings(store: FindingsStore, q: FindingsQuery, max: number, start?: string): Generator<Finding, string | undefined> {
  let cursor = start;
  let n = 0;
  do {
    const page = listOrCliCursorError(store, { ...q, limit: Math.min(FINDINGS_PAGE_MAX, max - n), ...(cursor === undefined ? {} : { cursor }) });
    for (const f of page.findings) yield f;
    n += page.findings.length;
    cursor = page.next;
  } while (cursor !== undefined && n < max);
  return cursor;
}

/**
 * The URLs a finding of the URL detector stands for: its URL; for a host's summed finding the flagged
 * URLs it kept as examples (up to three: the paths that were flagged, not the host's homepage), or
 * `<host>/` when it kept none.
 */
export function findingUrls(f: Pick<Finding, 'entity' | 'explanation'>): string[] {
  const m = /^(url|domain|ip):(.+)$/s.exec(f.entity);
  if (m === null) return [];
  if (m[1] === 'url') return [m[2]!];
  const detail = f.explanation.detail as { examples?: unknown } | null | undefined;
  const examples = Array.isArray(detail?.examples) ? detail.examples.filter((e): e is string => typeof e === 'string' && e !== '') : [];
  if (examples.length > 0) return examples;
  return [`${m[1] === 'ip' && m[2]!.includes(':') ? `[${m[2]}]` : m[2]}/`];
}

/**
 * The list's count column: `12x`, how often the finding was seen above its threshold; for a syn-flood or
 * syn-wave row `375 src`, the sources it sums (its stored count is only how often the board wrote it again).
 */
function countText(f: Finding): string {
  const sources = summedSources(f);
  return sources === null ? `${f.count.toLocaleString('en')}x` : `${sources.toLocaleString('en')} src`;
}

/** `3 findings (2 open, 1 reopened)`: how many were listed, by the status the rows show, in the statuses' order. */
function listSummary(printed: number, byStatus: ReadonlyMap<string, number>): string {
  if (printed === 0) return 'no finding matches';
  const parts: string[] = [];
  for (const status of [...FINDING_STATUSES, 'reopened']) {
    const n = byStatus.get(status);
    if (n !== undefined) parts.push(`${n.toLocaleString('en')} ${status}`);
  }
  return `${printed.toLocaleString('en')} finding${printed === 1 ? '' : 's'} (${parts.join(', ')})`;
}

/** Stored text on one line (a note may hold line breaks; an entity or `by` stored before they were checked, too). */
const oneLine = (s: string): string => s.replace(/[\r\n\t]+/g, ' ');

/**
 * Finding ids as given (`42`, `51,52,53`): each a whole number from 1 that a JavaScript number holds
 * exactly (16 digits and more would be rounded to another finding's id), at most a page of them.
 */
export function findingIds(list: string): number[] {
  const ids = list.split(',').map((x) => x.trim());
  const bad = ids.find((x) => !isId(x) || !Number.isSafeInteger(Number(x)));
  if (bad !== undefined) throw new AppError('FINDINGS_IDS_INVALID', 'bad_request', `findings: '${bad.slice(0, 40)}' is not a finding id (a whole number from 1 to ${Number.MAX_SAFE_INTEGER}); 'nml findings list' shows them`);
  if (ids.length > FINDINGS_PAGE_MAX) throw new AppError('FINDINGS_IDS_INVALID', 'bad_request', `findings: at most ${FINDINGS_PAGE_MAX} ids at once, got ${ids.length}; set the rest in another command`);
  return ids.map(Number);
}

/** the most characters of `--by`, as many as a user name has */
export const BY_MAX = 64;

/**
 * `--by`: who the history and the Alerts page name. One printable line: a line break would forge a
 * history entry (`mallory\n2026-… resolved by admin`), a control character drive the terminal of
 * whoever reads it. Not the web UI's user-name rule: `cli:carol` (the default's form) and `Carol` are fine here.
 */
export function checkBy(by: string): string {
  const n = [...by].length;
  if (n < 1 || n > BY_MAX || !/^[^\p{C}\p{Zl}\p{Zp}]+$/u.test(by) || by.trim() === '') {
    throw new AppError('FINDINGS_INVALID', 'bad_request', `findings: --by must be 1 to ${BY_MAX} printable characters on one line (no line breaks or control characters), got ${n} character${n === 1 ? '' : 's'}; name who sets it, e.g. --by carol`, { length: n });
  }
  return by;
}

interface SetFilters {
  detector?: string;
  fromStatus?: FindingStatus[];
  minScore?: number;
  triagedSince?: string;
  assignee?: string;
}

/** `--assignee`: a user name, or `none` for findings assigned to nobody. */
const assigneeFilter = (v: string): string | null => (v === 'none' ? null : v);

/** Whether `set` or `assign` was given a filter, which chooses findings for 'all' only. */
const hasFilter = (f: SetFilters): boolean => f.detector !== undefined || f.fromStatus !== undefined || f.minScore !== undefined || f.triagedSince !== undefined || f.assignee !== undefined;

/** The filters of `set all` and `assign all`, as the store takes them, read now. */
function matchOf(flags: SetFilters): TriageMatch {
  const match: TriageMatch = { readAt: Date.now() };
  if (flags.detector !== undefined) match.detector = flags.detector;
  if (flags.fromStatus !== undefined) match.status = flags.fromStatus;
  if (flags.minScore !== undefined) match.minScore = flags.minScore;
  if (flags.triagedSince !== undefined) match.triagedSince = triagedSince(flags.triagedSince);
  if (flags.assignee !== undefined) match.assignee = assigneeFilter(flags.assignee);
  return match;
}

/**
 * `assign --to NAME`: a user of the web UI in `<data>/users.db` (read only, beside a running server), as
 * the API checks it; FINDINGS_ASSIGNEE_UNKNOWN otherwise. Loaded here only: the user module is not every
 * findings command's start-up.
 */
async function checkAssignee(flags: CommonFlags, name: string): Promise<string> {
  const dir = resolve(loadConfig(flags).dataDir);
  if (!existsSync(join(dir, 'users.db'))) {
    throw new AppError('FINDINGS_ASSIGNEE_UNKNOWN', 'bad_request', `findings assign: ${dir} has no users.db, so there is no user to assign to; 'nml user add' or 'nml serve' creates it (give the server's --data)`, { dataDir: dir });
  }
  const [{ listUsers }, { canTriage, viewerAssignee }] = await Promise.all([import('./user.js'), import('../../serve/users/index.js')]);
  const user = listUsers(flags).find((u) => u.name === name);
  if (user === undefined) {
    throw new AppError('FINDINGS_ASSIGNEE_UNKNOWN', 'bad_request', `findings assign: no user '${oneLine(name).slice(0, 64)}' in ${join(dir, 'users.db')}; 'nml user list' names them, or --clear assigns to nobody`, { assignee: name.slice(0, 64) });
  }
  if (!canTriage(user.role)) throw viewerAssignee(name, 'findings assign');
  return name;
}

/** `assigned to carol` or `unassigned`: an assignment as the CLI says it. */
const assignedText = (assignee: string | null): string => (assignee === null ? 'unassigned' : `assigned to ${oneLine(assignee)}`);

function unitScore(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !(n >= 0 && n <= 1)) throw new AppError('FINDINGS_FILTER_INVALID', 'bad_request', `findings: --min-score must be a score from 0 to 1, got '${v.slice(0, 40)}'`);
  return n;
}

/** `--triaged-since`: a time as --from takes it (search's forms), its errors naming the option. */
function triagedSince(text: string): number {
  try {
    return parseTimeExpr(text, Date.now());
  } catch (e) {
    if (!isAppError(e) || e.code !== 'TIME_SYNTAX') throw e;
    throw new AppError(e.code, e.kind, `findings: --triaged-since: ${e.message}`, e.details, e);
  }
}

/** `nml findings set all STATUS`: every finding the filters match as the store stands now, in one transaction. */
function setMatching(status: string, flags: CommonFlags & SetFilters & { note?: string }, by: string): void {
  const s = oneStatus(status);
  writingFindings(flags, (store) => {
    const n = store.triageMatching(matchOf(flags), s, flags.note ?? null, by);
    process.stdout.write(`${n} finding${n === 1 ? '' : 's'} now ${s}\n`);
  });
}

/**
 * `nml user del NAME` (`user-removed`) and `nml user role NAME viewer` (`user-demoted`): the findings
 * assigned to the user are unassigned, each history saying so (by `by`), as the server does when an admin
 * removes one or makes one a viewer. How many; 0 when the data directory has no findings.db (no server has
 * run the detectors there).
 */
export function unassignUserFindings(flags: CommonFlags, name: string, by: string, cause: UnassignCause): number {
  if (!existsSync(join(resolve(loadConfig(flags).dataDir), 'findings.db'))) return 0;
  let n = 0;
  writingFindings(flags, (store) => {
    n = store.unassignUser(name, by, Date.now(), cause);
  });
  return n;
}

/** Runs `fn` on the store opened read-write; a write the disk or permissions refuse is said so (findingsAccess). */
function writingFindings(flags: CommonFlags, fn: (store: FindingsStore) => void): void {
  const store = openFindings(flags, true);
  try {
    fn(store);
  } catch (e) {
    throw findingsAccess(e, join(resolve(loadConfig(flags).dataDir), 'findings.db'), true);
  } finally {
    store.close();
  }
}

/** A history entry's words after its status: who set it and the note, a reopening sighting, or an assignment and who made it. */
function historyText(e: TriageEvent): string {
  if (e.cause === 'sighting') return 'reopened by a sighting';
  const who = `by ${oneLine(e.by ?? 'unknown')}`;
  if (e.cause === 'assignment') return `${assignedText(e.assignee ?? null)} ${who}`;
  if (e.cause === 'user-removed') return `unassigned: user ${oneLine(e.removedUser ?? '?')} removed ${who}`;
  if (e.cause === 'user-demoted') return `unassigned: user ${oneLine(e.demotedUser ?? '?')} made a viewer ${who}`;
  return `${who}${e.note === '' ? '' : `: ${oneLine(e.note)}`}`;
}

const common = (cmd: Command): Command => cmd.option('--data <dir>', DATA_HELP).option('--config <file>', 'JSON configuration file');
/** The filters that choose the findings `set all` and `assign all` change, as `list` takes them. */
const matchingAll = (cmd: Command): Command =>
  cmd
    .option('--detector <name>', "with 'all': only this detector's findings")
    .option('--from-status <list>', "with 'all': only findings now in these statuses, comma-separated or the option repeated", moreStatuses)
    .option('--min-score <p>', "with 'all': only findings scored at or above this", unitScore)
    .option('--triaged-since <time>', "with 'all': only findings whose status a person set at or after this (as list takes it)")
    .option('--assignee <name>', "with 'all': only findings assigned to this user now ('none': to nobody)");

export function registerFindings(program: Command): void {
  const findings = program.command('findings').description("the detectors' findings: list, set (triage), assign, history, who, urls, notify-test (webhooks)");

  common(findings.command('list'))
    .description(
      "list findings, the newest event first (--sort for another order): id, status, detector, score, count, last event time, entity. A triaged row ends with who set its status, when, and the note; an assigned one with 'assigned to NAME'. The count is Nx, how often it was seen above its threshold (a host's summed URL finding: its flagged URL sightings); a syn-flood or syn-wave row gives N src instead, the distinct sources it sums, as the Alerts page does. Stderr ends with how many were listed, by status (and, when --limit cut the list, the --cursor that continues)",
    )
    .option('--status <list>', `only these statuses, comma-separated or the option repeated (${FINDING_STATUSES.join(', ')})`, moreStatuses)
    .option('--detector <name>', 'only this detector (url, syn, syn-flood, syn-wave)')
    .option('--entity <entity>', 'only the findings of this entity, exactly as they name it (ip:192.0.2.7, domain:evil.example, url:evil.example/p)')
    .option('--min-score <p>', "only findings scored at or above this (0 to 1), as the Alerts page's Min score", unitScore)
    .option('--triaged-since <time>', "only findings whose status a person set at or after this: ISO time, relative (-12h for the shift before), epoch ms, or Hayabusa's 2017/10/17/15/*")
    .option('--assignee <name>', "only the findings assigned to this user ('none': to nobody), as the Alerts page's Assigned menu")
    .option('--limit <n>', 'at most this many (when more match, stderr says so and gives the --cursor that continues)', positiveInt, 50)
    .option('--cursor <c>', 'continue after the last finding of an earlier run (the cursor its stderr gave; same filters and --sort)')
    .addOption(
      new Option('--sort <order>', "lastSeen: the newest event first; score: the highest first; sighted: the most recently raised or seen again first, whatever the events' time (findings of an old log loaded today come first; the Alerts page's default); triaged: the one whose status a person set last first, then those nobody has set (what the shift before changed); id: the most recently raised first, an order that never changes")
        .choices(FINDINGS_SORTS)
        .default('lastSeen'),
    )
    .option('--json', "print JSON, one finding per line (a SYN finding's source in evidence.source, absent on rows stored before it was kept, and its Hosts board page in board)")
    .addOption(escapeOption())
    .action(async (flags: ListFlags) => {
      const shown = shownText(flags.escape);
      const store = openFindings(flags);
      let tally: string | null = null;
      try {
        const q: FindingsQuery = { sort: flags.sort, ...(flags.status === undefined ? {} : { status: flags.status }), ...(flags.detector === undefined ? {} : { detector: flags.detector }), ...(flags.entity === undefined ? {} : { entity: flags.entity }), ...(flags.minScore === undefined ? {} : { minScore: flags.minScore }), ...(flags.triagedSince === undefined ? {} : { triagedSince: triagedSince(flags.triagedSince) }), ...(flags.assignee === undefined ? {} : { assignee: assigneeFilter(flags.assignee) }) };
        // until session 33 the list stopped at --limit without a word: a script read 50 of 209 as all (CLI review)
        const all = allFindings(store, q, flags.limit, flags.cursor);
        let printed = 0;
        const byStatus = new Map<string, number>();
        for (let r = all.next(); ; r = all.next()) {
          if (r.done === true) {
            // cut by --limit: the line that says so carries the tally of those printed, by status (it had none)
            if (r.value !== undefined) process.stderr.write(`nml: ${flags.json === true ? `${printed} finding${printed === 1 ? '' : 's'}` : listSummary(printed, byStatus)} printed and more match; --limit N prints more, --cursor ${r.value} continues after the last one\n`);
            // a script reading --json wants stdout only; an operator wants the tally the Alerts page's tabs give
            else if (flags.json !== true) tally = `nml: ${listSummary(printed, byStatus)}\n`;
            break;
          }
          const f = r.value;
          printed++;
          if (flags.json === true) {
            process.stdout.write(JSON.stringify(f) + '\n');
            continue;
          }
          const t = f.triage;
          const status = t.reopenedAt === null ? t.status : 'reopened';
          byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
          // who set the status and when, as the Alerts page's status cell: a morning shift tells the night's work from last week's
          const when = t.at === null || Math.abs(t.at) > MAX_DATE_MS ? '' : ` ${new Date(t.at).toISOString().slice(0, 19)}Z`;
          const who = t.by === null ? '' : ` (${oneLine(t.by)}${when}${t.note === '' ? '' : `: ${oneLine(t.note)}`})`;
          // a SYN finding says where its SYNs came from and its page on the Hosts board (syn-where.ts)
          const where = f.board === undefined ? '' : `  [${oneLine(synSourceText(f) ?? '')}; board ${f.board}]`;
          // whose it is, as the Alerts page's row says it: the handover's "what is mine"
          const mine = t.assignee === null ? '' : `  ${assignedText(t.assignee)}`;
          process.stdout.write(shown(`${String(f.id).padStart(6)}  ${status.padEnd(14)} ${f.detector.padEnd(9)} ${f.score.toFixed(3)} ${countText(f).padStart(9)}  ${Math.abs(f.lastSeen) <= MAX_DATE_MS ? `${new Date(f.lastSeen).toISOString().slice(0, 19)}Z` : `${f.lastSeen} ms`.padEnd(20)}  ${oneLine(f.entity)}${who}${mine}${where}`) + '\n');
        }
      } finally {
        store.close();
      }
      // after the rows are handed on: a list that could not be written (> /dev/full) is said once, not tallied as shown
      await flushOut();
      if (tally !== null && !outputClosed()) process.stderr.write(tally);
    });

  matchingAll(common(findings.command('set <ids> <status>')))
    .description(
      `set the triage of one finding or several (comma-separated ids), or of every one that matches ('all' with --detector, --from-status, --min-score, --triaged-since, --assignee: at most ${TRIAGE_MATCH_MAX.toLocaleString('en')}, all or none): ${FINDING_STATUSES.join(', ')}`,
    )
    .option('--note <text>', "a note with it (replaces the one before; '' clears it; without --note each keeps its own; at most 2,000 characters)")
    .option('--by <name>', 'who sets it (default cli:<your login name>)')
    .addOption(escapeOption())
    .action((list: string, status: string, flags: CommonFlags & SetFilters & { note?: string; by?: string; escape: EscapeMode }) => {
      const by = flags.by === undefined ? `cli:${userInfo().username}` : checkBy(flags.by);
      if (list === 'all') return setMatching(status, flags, by);
      if (hasFilter(flags)) throw new AppError('FINDINGS_FILTER_INVALID', 'bad_request', "findings: --detector, --from-status, --min-score, --triaged-since and --assignee choose findings for 'all' (nml findings set all STATUS …); with ids, name the findings alone");
      const ids = findingIds(list);
      const s = oneStatus(status);
      const shown = shownText(flags.escape);
      writingFindings(flags, (store) => {
        const r = store.triageMany(ids, s, flags.note ?? null, by);
        const already = new Set(r.unchanged);
        for (const f of r.findings) process.stdout.write(shown(`finding ${f.id} (${f.detector} ${oneLine(f.entity)}) ${already.has(f.id) ? 'was already' : 'is now'} ${f.triage.status}`) + '\n');
        if (r.missing.length > 0) throw new AppError('FINDINGS_NOT_FOUND', 'not_found', `findings: no finding with id ${r.missing.join(', ')}${r.findings.length > 0 ? ' (the others were set)' : ''}; 'nml findings list' shows them`);
      });
    });

  matchingAll(common(findings.command('assign <ids>')))
    .description(
      `assign one finding or several (comma-separated ids), or every one that matches ('all' with --detector, --from-status, --min-score, --triaged-since, --assignee: at most ${TRIAGE_MATCH_MAX.toLocaleString('en')}, all or none), to a user of the web UI (--to NAME), or to nobody (--clear); the status stays as it is, and the history keeps who assigned it`,
    )
    .option('--to <name>', "the user to assign them to (one of 'nml user list')")
    .option('--clear', 'assign them to nobody')
    .option('--by <name>', 'who assigns them (default cli:<your login name>)')
    .addOption(escapeOption())
    .action(async (list: string, flags: CommonFlags & SetFilters & { to?: string; clear?: boolean; by?: string; escape: EscapeMode }) => {
      const by = flags.by === undefined ? `cli:${userInfo().username}` : checkBy(flags.by);
      if ((flags.to === undefined) === (flags.clear !== true)) throw new AppError('FINDINGS_INVALID', 'bad_request', 'findings assign: give --to NAME (a user) or --clear (nobody), one of them');
      if (list !== 'all' && hasFilter(flags)) throw new AppError('FINDINGS_FILTER_INVALID', 'bad_request', "findings: --detector, --from-status, --min-score, --triaged-since and --assignee choose findings for 'all' (nml findings assign all --to NAME …); with ids, name the findings alone");
      const ids = list === 'all' ? null : findingIds(list);
      const assignee = flags.to === undefined ? null : await checkAssignee(flags, flags.to);
      const shown = shownText(flags.escape);
      writingFindings(flags, (store) => {
        if (ids === null) {
          const n = store.changeMatching(matchOf(flags), { assignee }, by);
          process.stdout.write(shown(`${n} finding${n === 1 ? '' : 's'} now ${assignedText(assignee)}`) + '\n');
          return;
        }
        const r = store.changeMany(ids, { assignee }, by);
        const already = new Set(r.unchanged);
        for (const f of r.findings) process.stdout.write(shown(`finding ${f.id} (${f.detector} ${oneLine(f.entity)}) ${already.has(f.id) ? 'was already' : 'is now'} ${assignedText(assignee)}`) + '\n');
        if (r.missing.length > 0) throw new AppError('FINDINGS_NOT_FOUND', 'not_found', `findings: no finding with id ${r.missing.join(', ')}${r.findings.length > 0 ? ' (the others were assigned)' : ''}; 'nml findings list' shows them`);
      });
    });

  common(findings.command('history <id>'))
    .description("a finding's status changes, oldest first: who, when, what, and the sightings that reopened it")
    .option('--json', 'print JSON, one change per line')
    .addOption(escapeOption())
    .action((id: string, flags: CommonFlags & { json?: boolean; escape: EscapeMode }) => {
      if (id.includes(',')) throw new AppError('FINDINGS_IDS_INVALID', 'bad_request', `findings: history takes one finding id, got '${id.slice(0, 40)}'; ask for each in turn`);
      const [n] = findingIds(id);
      const shown = shownText(flags.escape);
      const store = openFindings(flags);
      try {
        const history = store.history(n!);
        if (history === null) throw new AppError('FINDINGS_NOT_FOUND', 'not_found', `findings: no finding with id ${n}; 'nml findings list' shows them`);
        if (history.length === 0 && flags.json !== true) process.stdout.write(`finding ${n} is open; nobody has changed its status\n`);
        for (const e of history) {
          if (flags.json === true) process.stdout.write(JSON.stringify(e) + '\n');
          else process.stdout.write(shown(`${new Date(e.at).toISOString().slice(0, 19)}Z  ${e.status.padEnd(14)} ${historyText(e)}`) + '\n');
        }
      } finally {
        store.close();
      }
    });

  common(findings.command('who <ids>'))
    .description("who findings concern (comma-separated ids): the addresses that asked for a URL finding's host, most frequent first, and the users and host names behind them; who is behind a finding on one of the network's own addresses")
    .option('--limit <n>', 'addresses per finding', positiveInt, 10)
    .option('--json', 'print JSON, one finding per line')
    .addOption(escapeOption())
    .action(async (list: string, flags: CommonFlags & { limit: number; json?: boolean; escape: EscapeMode }) => {
      const ids = findingIds(list);
      const store = openFindings(flags);
      try {
        await printWho(loadConfig(flags), store, [...new Set(ids)], { ...flags, shown: shownText(flags.escape) });
      } finally {
        store.close();
      }
    });

  common(findings.command('urls'))
    .description("the URL detector's findings as URLs, one per line (a host's summed finding as the flagged URLs it kept, up to three): with --status false-positive, what 'nml train url --benign-urls' takes")
    .option('--status <list>', 'only these statuses, comma-separated or the option repeated (default false-positive)', moreStatuses)
    .addOption(escapeOption())
    .action((flags: CommonFlags & { status?: FindingStatus[]; escape: EscapeMode }) => {
      const shown = shownText(flags.escape);
      const status = flags.status ?? ['false-positive'];
      const store = openFindings(flags);
      try {
        let n = 0;
        const seen = new Set<string>();
        for (const f of allFindings(store, { detector: 'url', status }, Number.MAX_SAFE_INTEGER)) {
          for (const url of findingUrls(f)) {
            if (/[\r\n]/.test(url) || seen.has(url)) continue;
            seen.add(url);
            process.stdout.write(shown(url) + '\n');
            n++;
          }
        }
        process.stderr.write(`${n} URL${n === 1 ? '' : 's'} of URL findings ${status.join(' or ')}\n`);
      } finally {
        store.close();
      }
    });

  registerNotifyTest(findings);
}
