/**
 * `nml audit --data DIR`: the audit trail (serve/users/audit.ts) read from `<data>/users.db` without
 * writing anything, as `nml user list` reads it (a server running beside, a disk mounted read-only):
 * newest first, filtered as `GET /api/audit` filters, a table or `--json` (one entry a line). Where more
 * entries are older than the page, stderr says the `--before` that shows them.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { AUDIT_OUTCOMES, AUDIT_PAGE_MAX, readAudit, type AuditEntry, type AuditOutcome } from '../../serve/index.js';
import { DATA_HELP, type CommonFlags } from '../open.js';
import { addRangeOptions, rangeOf } from './range.js';
import { readUsersDb } from './user.js';

interface AuditFlags extends CommonFlags {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  outcome?: AuditOutcome;
  before?: number;
  limit: number;
  json?: boolean;
}

/** A whole number from 1 to `max` (commander names the option and exits 2 otherwise). */
const upTo =
  (max: number) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`expected a whole number from 1 to ${max}, got '${v}'`);
    return n;
  };

/** One entry as a table row: time, actor (role), action, target, address, outcome (reason), details. */
export function auditRow(e: AuditEntry): string {
  const who = e.actor === null ? '-' : e.role === null ? e.actor : `${e.actor} (${e.role})`;
  const outcome = e.reason === null ? e.outcome : `${e.outcome} ${e.reason}`;
  const details = Object.keys(e.details).length === 0 ? '' : JSON.stringify(e.details);
  return [new Date(e.at).toISOString().slice(0, 19) + 'Z', who.padEnd(22), e.action.padEnd(16), (e.target ?? '-').padEnd(16), (e.address ?? '-').padEnd(15), outcome.padEnd(24), details].join(' ').trimEnd();
}

export function registerAudit(program: Command): void {
  addRangeOptions(
    program
      .command('audit')
      .description('the audit trail, newest first: sign-ins, user changes, exports, refusals (what GET /api/audit lists)')
      .option('--data <dir>', DATA_HELP)
      .option('--config <file>', 'JSON configuration file'),
  )
    .option('--actor <name>', 'only this actor: a user name, api-token, cli:<account>')
    .option('--action <action>', 'only this action: login, logout, user.create, user.role, user.password, user.delete, search.export, share.export…')
    .addOption(new Option('--outcome <outcome>', 'only these').choices([...AUDIT_OUTCOMES]))
    .option('--limit <n>', `entries at most (at most ${AUDIT_PAGE_MAX})`, upTo(AUDIT_PAGE_MAX), 50)
    .option('--before <id>', 'entries older than this id (the next page, as the previous one said)', upTo(Number.MAX_SAFE_INTEGER))
    .option('--json', 'print JSON, one entry per line')
    .action((flags: AuditFlags) => {
      const range = rangeOf(flags);
      const page = readUsersDb(flags, (db) =>
        readAudit(db, {
          ...(range.from === null ? {} : { from: range.from }),
          ...(range.to === null ? {} : { to: range.to }),
          actor: flags.actor,
          action: flags.action,
          outcome: flags.outcome,
          before: flags.before,
          limit: flags.limit,
        }),
      );
      if (flags.json === true) for (const e of page.entries) process.stdout.write(JSON.stringify(e) + '\n');
      else if (page.entries.length === 0) process.stderr.write('no audit entries match\n');
      else for (const e of page.entries) process.stdout.write(auditRow(e) + '\n');
      if (page.next !== null) process.stderr.write(`more entries are older: add --before ${page.next}\n`);
    });
}
