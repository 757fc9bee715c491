import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TYPED_MARK as M } from '../../store/index.js';
import { parseQuery } from './parser.js';
import type { Node } from './ast.js';

const t = (term: string, prefix = false): Node => ({ kind: 'terms', alts: [{ term, prefix }] });

test('OR binds tighter than the implicit AND', () => {
  assert.deepEqual(parseQuery('a b OR c'), { kind: 'and', args: [t('a'), { kind: 'or', args: [t('b'), t('c')] }] });
  assert.deepEqual(parseQuery('a OR b c'), { kind: 'and', args: [{ kind: 'or', args: [t('a'), t('b')] }, t('c')] });
  assert.deepEqual(parseQuery('a AND b OR c'), parseQuery('a b OR c'));
});

test('NOT and - bind tightest; parentheses group', () => {
  assert.deepEqual(parseQuery('NOT a OR b'), { kind: 'or', args: [{ kind: 'not', arg: t('a') }, t('b')] });
  assert.deepEqual(parseQuery('-(a b)'), { kind: 'not', arg: { kind: 'and', args: [t('a'), t('b')] } });
  assert.deepEqual(parseQuery('(a OR b) (c OR d)'), {
    kind: 'and',
    args: [{ kind: 'or', args: [t('a'), t('b')] }, { kind: 'or', args: [t('c'), t('d')] }],
  });
});

test('nested same operators flatten', () => {
  assert.deepEqual(parseQuery('a (b c)'), { kind: 'and', args: [t('a'), t('b'), t('c')] });
});

test('the empty query matches everything', () => {
  assert.deepEqual(parseQuery(''), { kind: 'all' });
  assert.deepEqual(parseQuery('   '), { kind: 'all' });
});

test('words: one token is a term, several a phrase, a trailing star a prefix', () => {
  assert.deepEqual(parseQuery('Sshd'), t('sshd'));
  assert.deepEqual(parseQuery('web-01'), { kind: 'phrase', tokens: ['web', '01'], prefix: false, whole: true });
  assert.deepEqual(parseQuery('2.6.32-5'), { kind: 'phrase', tokens: ['2', '6', '32', '5'], prefix: false, whole: true });
  assert.deepEqual(parseQuery('a/b'), { kind: 'phrase', tokens: ['a', 'b'], prefix: false });
  assert.deepEqual(parseQuery('auth*'), t('auth', true));
  assert.deepEqual(parseQuery('web-0*'), { kind: 'phrase', tokens: ['web', '0'], prefix: true, whole: true });
  assert.deepEqual(parseQuery('"Failed  password"'), { kind: 'phrase', tokens: ['failed', 'password'], prefix: false });
  assert.deepEqual(parseQuery('"sshd"'), t('sshd'));
  assert.deepEqual(parseQuery('error:'), t('error'));
});

test('bare entities become typed terms; quoting keeps them text', () => {
  assert.deepEqual(parseQuery('10.0.0.5'), t(`${M}ip4_0a000005`));
  assert.deepEqual(parseQuery('2001:DB8::1'), t(`${M}ip6_20010db8000000000000000000000001`));
  assert.deepEqual(parseQuery('10.1.0.0/16'), t(`${M}ip4_0a01`, true));
  assert.deepEqual(parseQuery('00:1A:2b:3c:4d:5e'), t(`${M}mac_001a2b3c4d5e`));
  assert.deepEqual(parseQuery('001a.2b3c.4d5e'), t(`${M}mac_001a2b3c4d5e`));
  assert.deepEqual(parseQuery('John.Doe@Example.com'), t(`${M}email_john_ddoe_x40_example_dcom`));
  assert.deepEqual(parseQuery('mail.example.com'), t(`${M}dom_mail_dexample_dcom`));
  assert.deepEqual(parseQuery('"mail.example.com"'), { kind: 'phrase', tokens: ['mail', 'example', 'com'], prefix: false });
  assert.deepEqual(parseQuery('10.0.0.256'), { kind: 'phrase', tokens: ['10', '0', '0', '256'], prefix: false, whole: true });
});

test('fields map to the typed terms of store/terms.ts', () => {
  assert.deepEqual(parseQuery('host:Web-01'), t(`${M}host_web_h01`));
  assert.deepEqual(parseQuery('HOST:web*'), t(`${M}host_web`, true));
  assert.deepEqual(parseQuery('app:sshd'), t(`${M}app_sshd`));
  assert.deepEqual(parseQuery('user:"DOMAIN\\\\bob"'), t(`${M}user_domain_x5c_bob`));
  assert.deepEqual(parseQuery('port:022'), t(`${M}port_22`));
  assert.deepEqual(parseQuery('domain:Example.COM.'), t(`${M}dom_example_dcom`));
  assert.deepEqual(parseQuery('mac:00-1a-2b-3c-4d-5e'), t(`${M}mac_001a2b3c4d5e`));
  assert.deepEqual(parseQuery('mac:00:1a:*'), t(`${M}mac_001a`, true));
  assert.deepEqual(parseQuery('email:a@b.org'), t(`${M}email_a_x40_b_dorg`));
  assert.deepEqual(parseQuery('format:raw'), t(`${M}fmt_raw`));
  assert.deepEqual(parseQuery('ip:10.0.0.0/18'), {
    kind: 'terms',
    alts: ['0', '1', '2', '3'].map((d) => ({ term: `${M}ip4_0a00${d}`, prefix: true })),
  });
});

test('severity and facility: numbers, names, comparisons', () => {
  const sev = (...ns: number[]): Node => ({ kind: 'terms', alts: ns.map((n) => ({ term: `${M}sev_${n}`, prefix: false })) });
  assert.deepEqual(parseQuery('severity:3'), sev(3));
  assert.deepEqual(parseQuery('severity:error'), sev(3));
  assert.deepEqual(parseQuery('sev:warn'), sev(4));
  assert.deepEqual(parseQuery('severity:<=3'), sev(0, 1, 2, 3));
  assert.deepEqual(parseQuery('severity:<=crit'), sev(0, 1, 2));
  assert.deepEqual(parseQuery('severity:>info'), sev(7));
  assert.deepEqual(parseQuery('facility:local0'), t(`${M}fac_16`));
  assert.deepEqual(parseQuery('fac:4'), t(`${M}fac_4`));
});

test('sub: keeps the text, case-folded, stars and all', () => {
  assert.deepEqual(parseQuery('sub:192.168'), { kind: 'substr', text: '192.168' });
  assert.deepEqual(parseQuery('sub:"Disk * FULL"'), { kind: 'substr', text: 'disk * full' });
  assert.deepEqual(parseQuery('sub:a*'), { kind: 'substr', text: 'a*' });
});
