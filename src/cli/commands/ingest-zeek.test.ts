/**
 * `nml ingest` of Zeek logs end to end: a TSV conn.log's header lines are skipped and counted (not stored
 * at the ingest time), and the evidence search that `nml pivot` prints for a conn record's `service`
 * edge finds the record, in TSV and from the JSON writer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../testing.js';

const TSV = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tconn',
  '#open\t2024-12-02-04-19-59',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]',
  '1733113199.865716\tCqKst53mF3det3eDV9\t10.47.1.100\t41772\t198.51.100.200\t443\ttcp\tssl\t1.204\t512\t4096\tSF\tT\tF\t0\tShADadFf\t10\t1024\t8\t4500\t-',
  '#close\t2024-12-02-05-00-00',
];
const JSON_LINE = '{"ts":1733113201.5,"uid":"CxS2","id.orig_h":"10.47.1.102","id.orig_p":41000,"id.resp_h":"198.51.100.202","id.resp_p":443,"proto":"tcp","conn_state":"SF"}';

/** The arguments of the evidence search `nml pivot` printed for `neighbour`. */
function evidenceArgs(pivotOut: string, neighbour: string): string[] {
  const row = pivotOut.indexOf(`  ${neighbour} `);
  assert.ok(row >= 0, pivotOut);
  const m = /evidence: nml search --data '([^']+)' --from (\d+) --to (\d+) '([^']+)'/.exec(pivotOut.slice(row));
  assert.ok(m !== null, pivotOut);
  return ['search', '--data', m[1]!, '--from', m[2]!, '--to', m[3]!, m[4]!];
}

test("nml ingest of Zeek conn logs: headers skipped and counted; the pivot's service evidence finds each record", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-ingest-zeek-'));
  try {
    const data = join(dir, 'd');
    writeFileSync(join(dir, 'conn.log'), TSV.join('\n') + '\n');
    writeFileSync(join(dir, 'conn.json'), JSON_LINE + '\n');
    const r = await runCli(['ingest', '--data', data, '--no-progress', join(dir, 'conn.log'), join(dir, 'conn.json')]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^ingested 2 lines in .*, 9 format header lines \(Zeek #fields, W3C #Fields: …\) skipped\n/);
    const recent = await runCli(['count', '--data', data, '--from', '-15m', 'sub:"#"']);
    assert.equal(recent.out.trim(), '0', 'no header line stamped with the ingest time');
    const all = await runCli(['count', '--data', data, '--from', '2024-12-01T00:00:00Z', '']);
    assert.equal(all.out.trim(), '2', all.err);
    for (const [address, record] of [['198.51.100.200', TSV[8]!], ['198.51.100.202', JSON_LINE]] as const) {
      const pivot = await runCli(['pivot', '--data', data, '--from', '2024-12-01T00:00:00Z', address]);
      assert.equal(pivot.code, 0, pivot.err);
      assert.match(pivot.out, /service → \(1\)\n +1x {2}port:443 /);
      const search = await runCli(evidenceArgs(pivot.out, 'port:443'));
      assert.equal(search.code, 0, search.err);
      assert.equal(search.out.trim(), record);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
