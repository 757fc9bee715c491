/** The normalized record: each field with the text around where it came from. */
import { useState } from 'react';
import { recordRows } from '../../../../src/assist/record-view.ts';
import type { Field, IncidentRecord } from './types.ts';

/**
 * Rows of one repeated kind (asset, time, step) shown before "N more": a 200 kB log pasted as a report held
 * 1,539 times, a page 44,000 px long with the similar incidents and the chat below them (UX review, 2026-12).
 */
export const LIST_SHOWN = 10;

function context(rec: IncidentRecord, f: Field): string {
  const text = rec.parts[f.from.part] ?? '';
  const a = Math.max(0, f.from.start - 30);
  const b = Math.min(text.length, f.from.end + 30);
  return `${a > 0 ? '…' : ''}${text.slice(a, f.from.start)}[${text.slice(f.from.start, f.from.end)}]${text.slice(f.from.end, b)}${b < text.length ? '…' : ''}`.replace(/\s+/g, ' ');
}

function Row({ record, name, f }: { record: IncidentRecord; name: string; f: Field }) {
  return (
    <tr>
      <td className="nowrap">{name}</td>
      <td className="mono">{f.value}</td>
      <td className="dim" title={`${f.from.part} ${f.from.start}-${f.from.end}`}>
        <span className="faint">{f.from.part}:</span> {context(record, f)}
      </td>
    </tr>
  );
}

/** One repeated kind: its first LIST_SHOWN rows, then how many more and the last one's value, until all are asked for. */
function ListRows({ record, name, plural, list }: { record: IncidentRecord; name: string; plural: string; list: readonly Field[] }) {
  const [all, setAll] = useState(false);
  const shown = all ? list : list.slice(0, LIST_SHOWN);
  const more = list.length - shown.length;
  const last = list[list.length - 1];
  return (
    <>
      {shown.map((f, i) => (
        <Row key={`${name}-${i}`} record={record} name={name} f={f} />
      ))}
      {more > 0 && last !== undefined && (
        <tr className="assist-record-more">
          <td className="nowrap">{name}</td>
          <td colSpan={2}>
            <span className="dim">
              {more.toLocaleString('en-US')} more {plural} (the last: <span className="mono">{last.value}</span>){' '}
            </span>
            <button type="button" className="btn small ghost" onClick={() => setAll(true)}>
              Show all {list.length.toLocaleString('en-US')} {plural}
            </button>
          </td>
        </tr>
      )}
    </>
  );
}

/** The rows in the order `nml assist normalize` prints them (record-view.ts), the report's other pairs (`extra`) last. */
export function RecordTable({ record }: { record: IncidentRecord }) {
  const rows = recordRows(record);
  return (
    <div className="table-wrap">
      <table className="grid assist-record">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Value</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {rows.fields.map(([name, f]) => (
            <Row key={name} record={record} name={name} f={f} />
          ))}
          {rows.lists.map(({ name, plural, items }) => (
            <ListRows key={name} record={record} name={name} plural={plural} list={items} />
          ))}
          {rows.extra.map(([name, f]) => (
            <Row key={`extra-${name}`} record={record} name={name} f={f} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
