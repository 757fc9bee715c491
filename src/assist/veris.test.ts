/** VERIS JSON: every `json:` citation holds what is at its path in the JSON. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeVeris } from './veris.js';
import type { IncidentRecord } from './record.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The value at a JSON pointer (RFC 6901), or undefined. */
function pointer(doc: Json, path: string): Json | undefined {
  let v: Json | undefined = doc;
  for (const raw of path.split('/').slice(1)) {
    const k = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(v)) v = v[Number(k)];
    else if (typeof v === 'object' && v !== null && Object.hasOwn(v, k)) v = v[k];
    else return undefined;
  }
  return v;
}

/** Each part named `json:/path` is the value there: the string itself, or the JSON text of an object. */
function assertPartsAreTheJson(doc: Json, rec: IncidentRecord): void {
  for (const [part, text] of Object.entries(rec.parts)) {
    const v = pointer(doc, part.slice('json:'.length));
    assert.notEqual(v, undefined, `${part} is a path of the JSON`);
    assert.equal(text, typeof v === 'string' ? v.trim() : JSON.stringify(v), `${part} holds what the JSON has there`);
  }
  const fields = [...Object.values(rec.fields), ...rec.assets, ...rec.steps, ...Object.values(rec.extra)];
  for (const f of fields) if (f !== undefined && f.value !== undefined) assert.ok(rec.parts[f.from.part] !== undefined, `${f.from.part} exists`);
}

test('the actor cites the variety the JSON has at its path, not "external: Activist"', () => {
  const doc = { incident_id: 'x1', summary: 'Hacktivists defaced the site', action: { hacking: { variety: ['SQLi'], vector: ['Web application'] } }, actor: { external: { variety: ['Activist'] } }, asset: { assets: [{ variety: 'S - Web application' }] } };
  const rec = normalizeVeris(doc);
  assert.equal(rec.fields.actor?.value, 'Activist');
  assert.equal(rec.fields.actor?.from.part, 'json:/actor/external/variety/0');
  assert.equal(pointer(doc, '/actor/external/variety/0'), rec.fields.actor?.value);
  assertPartsAreTheJson(doc, rec);
});

test('a list with empty entries: the path has the index of the entry cited; keys are cited inside their object', () => {
  const doc = {
    incident_id: 'x2',
    action: { malware: { vector: ['Direct install'] }, hacking: { variety: ['', 'Brute force'], vector: [' ', 'Web application'] } },
    actor: { internal: { variety: [null, 'System admin'] } },
    discovery_method: { external: { variety: ['Customer'] } },
    timeline: { incident: { year: 2019 } },
  } as unknown as Record<string, Json>;
  const rec = normalizeVeris(doc);
  assert.deepEqual([rec.fields.threatName?.value, rec.fields.threatName?.from.part], ['Brute force', 'json:/action/hacking/variety/1']);
  assert.deepEqual([rec.fields.application?.value, rec.fields.application?.from.part], ['Web application', 'json:/action/hacking/vector/1']);
  assert.deepEqual([rec.fields.actor?.value, rec.fields.actor?.from.part], ['System admin', 'json:/actor/internal/variety/1']);
  assert.equal(rec.extra.discovery_method?.value, 'external');
  const d = rec.extra.discovery_method!;
  assert.equal(rec.parts[d.from.part]?.slice(d.from.start, d.from.end), 'external');
  const noVariety = normalizeVeris({ incident_id: 'x3', action: { malware: { vector: ['Email'] } }, actor: {} });
  const c = noVariety.fields.category!;
  assert.equal(c.value, 'malware');
  assert.equal(noVariety.parts[c.from.part]?.slice(c.from.start, c.from.end), 'malware', 'the category points at the action key');
  const { timeline: _, ...rest } = doc; // the date is put together from year, month and day: no path holds it
  assertPartsAreTheJson(rest as Json, normalizeVeris(rest));
});
