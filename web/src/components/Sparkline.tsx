/** A small filled line of recent values on a canvas (redrawn on data, size or theme change). */
import { useEffect, useRef } from 'react';
import { cssVar, useTheme } from '../lib/theme.ts';

export function Sparkline({ values, height = 36, label }: { values: readonly number[]; height?: number; label: string }) {
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
      const max = Math.max(1, ...values);
      const step = w / (values.length - 1);
      const y = (v: number) => height - 2 - (v / max) * (height - 4);
      g.beginPath();
      g.moveTo(0, y(values[0]!));
      values.forEach((v, i) => g.lineTo(i * step, y(v)));
      g.strokeStyle = cssVar('--accent');
      g.lineWidth = 1.5;
      g.stroke();
      g.lineTo(w, height);
      g.lineTo(0, height);
      g.closePath();
      g.fillStyle = cssVar('--accent-weak');
      g.fill();
    };
    draw();
    const ro = new ResizeObserver(draw);
    ro.observe(c);
    return () => ro.disconnect();
  }, [values, height, theme]);
  return <canvas ref={ref} className="sparkline" style={{ height }} role="img" aria-label={label} />;
}
