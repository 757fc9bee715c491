/**
 * A host's image (rows × cols values in 0..1) drawn on a canvas with a heat colour map, column groups
 * labelled. A signed map (the saliency: gradient × input, any scale) is scaled by its largest magnitude
 * and drawn diverging: warm where a pixel pushed the score up, blue where it pushed it down.
 */
import { useEffect, useRef } from 'react';
import type { SynImage } from '../../lib/types.ts';

// inferno-like stops: dark → purple → orange → yellow
const STOPS: [number, number, number][] = [
  [10, 8, 30],
  [87, 16, 110],
  [188, 55, 84],
  [249, 142, 9],
  [252, 255, 164],
];

export function heat(v: number): [number, number, number] {
  const x = Math.max(0, Math.min(1, Number.isFinite(v) ? v : 0)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = STOPS[i]!;
  const b = STOPS[i + 1]!;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** dark → blue, for a pixel that pushed the score down */
export function cool(v: number): [number, number, number] {
  const x = Math.max(0, Math.min(1, Number.isFinite(v) ? v : 0));
  return [10 + (90 - 10) * x, 8 + (170 - 8) * x, 30 + (255 - 30) * x];
}

/** The largest magnitude of a signed map (1 when all are 0, so nothing divides by zero). */
export function magnitude(values: readonly number[]): number {
  let m = 0;
  for (const v of values) if (Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
  return m > 0 ? m : 1;
}

/**
 * Column names too long for their columns are written upwards, one line per column: a column is at least
 * this wide (CSS px), a line of LABEL_PX text fits it, and neighbouring names do not overlap (at 8 px
 * columns the 10 px names ran into each other; a night-shift review).
 */
const MIN_CELL = 10;
/** The names' font size (CSS px) and the width of one of their characters, about (a UI font at that size). */
export const LABEL_PX = 9;
const CHAR_PX = 5.5;
/** The tallest the names written upwards may be (longer ones end in an ellipsis; the title has them whole). */
const MAX_LABEL_H = 120;

/** Where each column group's name goes: along it when it fits, else upwards; and how tall the row of names is. */
export function columnLabels(groups: readonly { name: string; from: number; to: number }[], cell: number): { up: boolean[]; height: number } {
  const up = groups.map((g) => (g.to - g.from + 1) * cell < g.name.length * CHAR_PX + 4);
  const longest = Math.max(0, ...groups.filter((_, i) => up[i]).map((g) => g.name.length));
  return { up, height: Math.min(MAX_LABEL_H, Math.max(16, Math.ceil(longest * CHAR_PX) + 4)) };
}

export function HostImage({ image, values, width, label, signed = false }: { image: SynImage; values: readonly number[]; width: number; label: string; signed?: boolean }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const cell = Math.max(MIN_CELL, Math.floor(width / Math.max(1, image.cols)));
  const cellH = Math.max(2, Math.min(cell * 2, Math.floor(320 / Math.max(1, image.rows))));
  useEffect(() => {
    const c = ref.current;
    if (c === null) return;
    c.width = image.cols;
    c.height = image.rows;
    const g = c.getContext('2d');
    if (g === null) return;
    const img = g.createImageData(image.cols, image.rows);
    const scale = signed ? magnitude(values) : 1;
    for (let i = 0; i < image.rows * image.cols; i++) {
      const v = (values[i] ?? 0) / scale;
      const [r, gr, b] = v < 0 ? cool(-v) : heat(v);
      img.data[i * 4] = r;
      img.data[i * 4 + 1] = gr;
      img.data[i * 4 + 2] = b;
      img.data[i * 4 + 3] = 255;
    }
    g.putImageData(img, 0, 0);
  }, [image, values, signed]);
  const w = cell * image.cols;
  const groups = image.colGroups ?? [];
  // narrow groups get their names written upwards, one line a column
  const labels = columnLabels(groups, cell);
  return (
    <figure className="host-image">
      {groups.length > 0 && (
        <div className="col-groups" style={{ width: w, height: labels.height }} aria-hidden="true">
          {groups.map((g, i) => (
            <span
              key={g.name + g.from}
              className={labels.up[i] === true ? 'up' : undefined}
              style={{ left: g.from * cell, width: (g.to - g.from + 1) * cell, ...(labels.up[i] === true ? { height: labels.height, lineHeight: `${cell - 1}px`, fontSize: LABEL_PX } : {}) }}
              title={g.name}
            >
              {g.name}
            </span>
          ))}
        </div>
      )}
      <canvas ref={ref} className="pixelated" style={{ width: w, height: cellH * image.rows }} role="img" aria-label={label} />
      <figcaption className="faint">
        {image.rows} × {image.cols}
        {image.rowLabel !== undefined && <> · rows: {image.rowLabel}</>}
        {signed ? (
          <span className="legend" title={`scaled by the largest magnitude, ${magnitude(values).toPrecision(2)}`}>
            toward benign <span className="ramp ramp-cool" aria-hidden="true" />
            <span className="ramp" aria-hidden="true" /> toward malicious
          </span>
        ) : (
          <span className="legend" aria-hidden="true">
            0 <span className="ramp" /> 1
          </span>
        )}
      </figcaption>
    </figure>
  );
}
