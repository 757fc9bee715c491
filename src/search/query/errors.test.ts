import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAppError } from '../../core/index.js';
import { compileQuery } from './compile.js';

function failure(query: string): { code: string; kind: string; message: string; column: unknown } {
  try {
    compileQuery(query);
  } catch (e) {
    assert.ok(isAppError(e), `not an AppError: ${String(e)}`);
    return { code: e.code, kind: e.kind, message: e.message, column: e.details?.['column'] };
  }
  assert.fail(`no error for ${query}`);
}

const SYNTAX: Array<[string, string, number]> = [
  ['error: disk "full', 'query: unbalanced quote at column 13', 13],
  ['(a b) c)', "query: unexpected ')' at column 8", 8],
  ['a (b', "query: unclosed '(' at column 3", 3],
  ['()', 'query: empty parentheses at column 1', 1],
  ['OR a', 'query: unexpected OR at column 1', 1],
  ['AND a', 'query: unexpected AND at column 1', 1],
  ['a OR', 'query: expected a term after OR at column 3', 3],
  ['a OR OR b', 'query: expected a term after OR at column 3', 3],
  ['a AND', 'query: expected a term after AND at column 3', 3],
  ['a NOT', 'query: expected a term after NOT at column 3', 3],
  ['a -', "query: expected a term after '-' at column 3", 3],
  ['x ab"c"', `query: unexpected '"' at column 5 (a quote starts a phrase: put a space before it)`, 5],
  ['"ab"c', "query: unexpected 'c' after a closing quote at column 5 (put a space after the quote)", 5],
  ['a fo*o', "query: '*' in 'fo*o' at column 5 ('*' may only end a word, right after a letter or digit)", 5],
  ['a -*', "query: '*' in '*' at column 4 ('*' may only end a word, right after a letter or digit)", 4],
  ['a ==', `query: '==' has no letters or digits at column 3 (to find punctuation use sub:"...")`, 3],
  ['hots:web', 'query: unknown field \'hots\' at column 1 (known: host, app, severity, facility, ip, port, user, domain, mac, email, format, url, sub)', 1],
  ['a time:-1h', 'query: time is not part of the query at column 3 (pass it as from and to)', 3],
  ['host: web', "query: expected a value after 'host:' at column 1", 1],
  ['host:""', "query: expected a value after 'host:' at column 1", 1],
  ['host:we*b', "query: '*' in 'we*b' at column 8 ('*' may only end a value)", 8],
  ['severity:loud', "query: invalid severity 'loud' at column 10 (expected 0-7, a name like err, or <=3)", 10],
  ['severity:8', "query: invalid severity '8' at column 10 (expected 0-7, a name like err, or <=3)", 10],
  ['sev:<0', "query: severity '<0' matches no level at column 5", 5],
  ['port:70000', "query: invalid port '70000' at column 6 (expected 0-65535)", 6],
  ['port:2*', "query: '*' is not allowed in port: at column 6", 6],
  ['ip:10.0.0.300', "query: invalid ip '10.0.0.300' at column 4 (expected an address or a network like 10.1.0.0/16)", 4],
  ['10.0.0.0/33', "query: invalid network '10.0.0.0/33' at column 1 (prefix length is at most 32 for ipv4, 128 for ipv6)", 1],
  ['mac:00:11', "query: invalid mac '00:11' at column 5 (expected 12 hex digits, e.g. 00:1a:2b:3c:4d:5e)", 5],
  ['domain:com', "query: domain 'com' has one label at column 8 (the index keeps domains of two labels or more)", 8],
  ['format:json', "query: unknown format 'json' at column 8 (only format:raw is indexed)", 8],
  // a group right after a value, no space: it read `app:sshd (pam_unix)`, silently
  ['app:sshd(pam_unix)', `query: '(' right after 'app:sshd' at column 9 (quote the value if the parenthesis belongs to it (app:"sshd(…)"), or put a space before the group)`, 9],
  ['foo(bar)', `query: '(' right after 'foo' at column 4 (quote the value if the parenthesis belongs to it ("foo(…)"), or put a space before the group)`, 4],
];

test('every syntax error names its column, in the message and in details', () => {
  for (const [query, message, column] of SYNTAX) {
    const f = failure(query);
    assert.deepEqual(f, { code: 'QUERY_SYNTAX', kind: 'bad_request', message, column }, query);
  }
});

test('limits: length, depth and terms are QUERY_TOO_COMPLEX', () => {
  assert.equal(failure('a'.repeat(4097)).code, 'QUERY_TOO_COMPLEX');
  compileQuery('a'.repeat(4096));
  compileQuery('('.repeat(32) + 'a' + ')'.repeat(32));
  const deep = failure('('.repeat(33) + 'a' + ')'.repeat(33));
  assert.deepEqual(deep, { code: 'QUERY_TOO_COMPLEX', kind: 'bad_request', message: 'query: nested deeper than 32 levels at column 33', column: 33 });
  assert.equal(failure('NOT '.repeat(33) + 'a').code, 'QUERY_TOO_COMPLEX');
  compileQuery(Array.from({ length: 256 }, (_, i) => `w${i}`).join(' '));
  assert.equal(failure(Array.from({ length: 257 }, (_, i) => `w${i}`).join(' ')).message, 'query: more than 256 terms');
});
