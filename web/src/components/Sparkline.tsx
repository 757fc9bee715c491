/**
 * A small filled line of recent values on a canvas (redrawn on data, size or theme change). A null
 * value has no data (a collection gap, a model with no prediction yet): the line breaks there rather
 * than dropping to zero, which would read as a real zero.
 */
import { useEffect, useRef } from 'react';
import { cssVar, useTheme } from '../lib/theme.ts';

/** The runs of consecutive non-null values, as [first, last] indices. */
export function valueRuns(values: readonly (number | null)[]): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  values.forEach((v, i) => {
    if (v !== null && start < 0) start = i;
    if (start >= 0 && (v === null || i === values.length - 1)) {
      runs.push([start, v === null ? i - 1 : i]);
      start = -1;
    }
  });
  return runs;
}

export function Sparkline({ values, height = 36, label }: { values: readonly (number | null)[]; height?: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [theme] = useTheme();
  useEffect(() => {
    const c = ref.current;
    if (c === null) return;
    const draw = () => {
      const dpr = window.devicePixelRatio || 1;
      const w = c.clientWidth;
      c.width = Math.round(w * dpr);
      c.height = Math.round(height * dpr);
      const g = c.getContext('2d');
      if (g === null) return;
      g.scale(dpr, dpr);
      g.clearRect(0, 0, w, height);
      if (values.length < 2) return;
      const max = Math.max(1, ...values.filter((v): v is number => v !== null));
      const step = w / (values.length - 1);
      const y = (v: number | null) => height - 2 - ((v ?? 0) / max) * (height - 4);
      for (const [from, to] of valueRuns(values)) {
        g.beginPath();
        if (from === to) {
          // a value alone between gaps has no line to be part of: a dot
          g.arc(from * step, y(values[from]!), 1.5, 0, 2 * Math.PI);
          g.fillStyle = cssVar('--accent');
          g.fill();
          continue;
        }
        g.moveTo(from * step, y(values[from]!));
        for (let i = from + 1; i <= to; i++) g.lineTo(i * step, y(values[i]!));
        g.strokeStyle = cssVar('--accent');
        g.lineWidth = 1.5;
        g.stroke();
        g.lineTo(to * step, height);
        g.lineTo(from * step, height);
        g.closePath();
        g.fillStyle = cssVar('--accent-weak');
        g.fill();
      }
    };
    draw();
    const ro = new ResizeObserver(draw);
    ro.observe(c);
    return () => ro.disconnect();
  }, [values, height, theme]);
  return <canvas ref={ref} className="sparkline" style={{ height }} role="img" aria-label={label} />;
}
