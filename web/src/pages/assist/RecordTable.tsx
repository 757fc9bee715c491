/** The normalized record: each field with the text around where it came from. */
import type { Field, IncidentRecord } from './types.ts';

function context(rec: IncidentRecord, f: Field): string {
  const text = rec.parts[f.from.part] ?? '';
  const a = Math.max(0, f.from.start - 30);
  const b = Math.min(text.length, f.from.end + 30);
  return `${a > 0 ? '…' : ''}${text.slice(a, f.from.start)}[${text.slice(f.from.start, f.from.end)}]${text.slice(f.from.end, b)}${b < text.length ? '…' : ''}`.replace(/\s+/g, ' ');
}

export function RecordTable({ record }: { record: IncidentRecord }) {
  const rows: [string, Field][] = [
    ...Object.entries(record.fields).flatMap(([k, f]) => (f === undefined ? [] : [[k, f] as [string, Field]])),
    ...record.assets.map((f) => ['asset', f] as [string, Field]),
    ...record.times.map((f) => ['time', f] as [string, Field]),
    ...record.steps.map((f) => ['step', f] as [string, Field]),
  ];
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
          {rows.map(([name, f], i) => (
            <tr key={`${name}-${i}`}>
              <td className="nowrap">{name}</td>
              <td className="mono">{f.value}</td>
              <td className="dim" title={`${f.from.part} ${f.from.start}-${f.from.end}`}>
                <span className="faint">{f.from.part}:</span> {context(record, f)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
