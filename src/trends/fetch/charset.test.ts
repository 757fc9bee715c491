/** Charset decoding: Japanese encodings from headers, XML declarations and meta tags, and bytes that contradict them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import Encoding from 'encoding-japanese';
import fc from 'fast-check';
import { decodeBody, declaredCharset } from './charset.js';

const JA = '政府機関のウェブサイトがサイバー攻撃を受けました。ランサムウェアによる被害です。';
const jis = (s: string): Buffer => Buffer.from(Encoding.convert(Encoding.stringToCode(s), { to: 'JIS', from: 'UNICODE' }));

test('Shift_JIS, EUC-JP and ISO-2022-JP decode from the Content-Type header', () => {
  assert.equal(decodeBody(iconv.encode(JA, 'Shift_JIS'), 'text/html; charset=Shift_JIS').text, JA);
  assert.equal(decodeBody(iconv.encode(JA, 'EUC-JP'), 'text/html; charset="euc-jp"').text, JA);
  const d = decodeBody(jis(JA), 'text/plain; charset=ISO-2022-JP');
  assert.equal(d.text, JA);
  assert.equal(d.charset, 'iso-2022-jp');
});

test('the charset comes from the XML declaration or an HTML meta tag when the header has none', () => {
  const xml = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="Shift_JIS"?><rss><t>'), iconv.encode(JA, 'Shift_JIS'), Buffer.from('</t></rss>')]);
  assert.equal(declaredCharset(xml, 'application/rss+xml'), 'shift_jis');
  assert.match(decodeBody(xml, 'application/rss+xml').text, new RegExp(JA));
  const html = Buffer.concat([Buffer.from('<html><head><meta http-equiv="Content-Type" content="text/html; charset=EUC-JP"></head><body>'), iconv.encode(JA, 'EUC-JP'), Buffer.from('</body></html>')]);
  assert.match(decodeBody(html, 'text/html').text, new RegExp(JA));
  const meta5 = Buffer.concat([Buffer.from('<meta charset="shift_jis"><p>'), iconv.encode(JA, 'Shift_JIS')]);
  assert.match(decodeBody(meta5, undefined).text, new RegExp(JA));
});

test('a wrong declaration is overruled by the bytes and flagged as a mismatch', () => {
  const sjisLabelledUtf8 = decodeBody(iconv.encode(JA, 'Shift_JIS'), 'text/html; charset=utf-8');
  assert.equal(sjisLabelledUtf8.text, JA);
  assert.equal(sjisLabelledUtf8.mismatch, true);
  const utf8LabelledSjis = decodeBody(Buffer.from(JA), 'text/html; charset=Shift_JIS');
  assert.equal(utf8LabelledSjis.text, JA);
  const unknown = decodeBody(Buffer.from('plain ascii'), 'text/plain; charset=x-no-such-charset');
  assert.equal(unknown.text, 'plain ascii');
  assert.equal(decodeBody(jis(JA), undefined).text, JA, 'ISO-2022-JP without any declaration is recognised by its escapes');
});

test('a BOM wins and is stripped', () => {
  assert.equal(decodeBody(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('hé')]), 'text/plain; charset=shift_jis').text, 'hé');
});

test('fuzz: any bytes and any content type decode without throwing', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.option(fc.string({ maxLength: 40 })), (bytes, ct) => {
      const d = decodeBody(Buffer.from(bytes), ct ?? undefined);
      assert.equal(typeof d.text, 'string');
    }),
    { numRuns: 500 },
  );
});

test('UTF-8 labelled ISO-8859-1, us-ascii or windows-1252 decodes as UTF-8 and is flagged; real Latin-1 and plain ASCII keep their label', () => {
  for (const label of ['ISO-8859-1', 'us-ascii', 'windows-1252', 'latin1']) {
    for (const s of ['Café attaque — ransomware', JA]) {
      const d = decodeBody(Buffer.from(s, 'utf8'), `application/rss+xml; charset=${label}`);
      assert.deepEqual(d, { text: s, charset: 'utf-8', mismatch: true }, `${label}: ${s}`);
    }
  }
  // bytes that are not UTF-8 (é as the single byte 0xe9) are what the label says
  assert.deepEqual(decodeBody(iconv.encode('Café — 5 €', 'windows-1252'), 'text/html; charset=ISO-8859-1'), { text: 'Café — 5 €', charset: 'windows-1252', mismatch: false });
  assert.deepEqual(decodeBody(Buffer.from('plain text'), 'text/html; charset=us-ascii'), { text: 'plain text', charset: 'windows-1252', mismatch: false });
});
