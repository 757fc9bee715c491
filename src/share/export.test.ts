import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { LineAnonymizer } from './anonymize.js';
import { SHARE_FILES, writeShareExport } from './export.js';
import type { ShareLine } from './records.js';

async function* linesOf(lines: ShareLine[]): AsyncIterable<ShareLine> {
  yield* lines;
}

test('share export: each file and the folder are synced before the rename into place, and the folder holding it after', async () => {
  const root = mkdtempSync(join(tmpdir(), 'nml-share-sync-'));
  try {
    const dir = join(root, 'out');
    const events: string[] = [];
    const m = await writeShareExport({
      dir,
      lines: linesOf([{ time: 1, source: 'file:/home/alice/auth.log', raw: 'sshd[1]: Failed password for alice from 10.0.0.5 port 22 ssh2' }]),
      findings: [],
      anonymizer: new LineAnonymizer(Buffer.alloc(32, 1)),
      keyFingerprint: '0123456789abcdef',
      range: { from: 0, to: 2 },
      query: '',
      nmlVersion: 'test',
      skipped: () => [],
      syncFile: async (path) => {
        // synced where it was written, whole, while --out is not there yet
        assert.ok(!existsSync(dir), `${basename(path)} synced after the rename`);
        if (basename(path) !== 'findings.ndjson') assert.ok(statSync(path).size > 0, `${basename(path)} is empty when synced`);
        events.push(`file ${basename(path)}`);
      },
      // syncFolderOf(p) syncs the folder holding p
      syncFolderOf: (path) => {
        if (existsSync(dir)) events.push(path === dir ? 'parent, after the rename' : `? ${path}`);
        else events.push(basename(dirname(path)).startsWith('.out.partial-') ? 'export folder, before the rename' : `? ${path}`);
      },
    });
    assert.equal(m.files['lines.ndjson'].records, 1);
    assert.deepEqual(events, [...SHARE_FILES.map((f) => `file ${f}`), 'export folder, before the rename', 'parent, after the rename']);
    assert.ok(!readFileSync(join(dir, 'lines.ndjson'), 'utf8').includes('alice'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('share export: with the real fsync, the export is in place and complete', async () => {
  const root = mkdtempSync(join(tmpdir(), 'nml-share-sync-'));
  try {
    const dir = join(root, 'out');
    await writeShareExport({ dir, lines: linesOf([]), findings: [], anonymizer: new LineAnonymizer(Buffer.alloc(32, 1)), keyFingerprint: '0123456789abcdef', range: { from: 0, to: 2 }, query: '', nmlVersion: 'test', skipped: () => [] });
    for (const f of SHARE_FILES) assert.ok(existsSync(join(dir, f)), f);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
