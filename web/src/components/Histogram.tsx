/** Matches over time as uPlot bars; drag across it to zoom (the parent puts the new range in the URL). */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './histogram.css';
import { cssVar, useTheme } from '../lib/theme.ts';
import { formatInt, formatUtc } from '../lib/format.ts';
import { COUNT_STEPS, tickLabel, tickSpace } from './histogram-ticks.ts';

export interface HistogramData {
  from: number;
  to: number;
  interval: number;
  buckets: { t: number; count: number }[];
}

interface Props {
  data: HistogramData;
  height?: number;
  onZoom(fromMs: number, toMs: number): void;
}

const utc = (ts: number): Date => uPlot.tzDate(new Date(ts), 'Etc/UTC');

function options(width: number, height: number, data: HistogramData, onZoom: Props['onZoom'], tip: HTMLDivElement): uPlot.Options {
  const axis = cssVar('--chart-axis');
  const grid = cssVar('--chart-grid');
  const font = `11px ${cssVar('--font-ui') || 'sans-serif'}`;
  return {
    width,
    height,
    ms: 1,
    tzDate: utc,
    legend: { show: false },
    padding: [6, 8, 0, 0],
    cursor: {
      drag: { x: true, y: false, setScale: false },
      points: { show: false },
      y: false,
    },
    select: { show: true, left: 0, top: 0, width: 0, height: 0 },
    scales: {
      x: { time: true, range: () => [data.from, data.to] },
      y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.08)] },
    },
    axes: [
      {
        stroke: axis,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid, width: 1 },
        font,
        size: 26,
        // labels with milliseconds are twice as wide: ticks that close are spaced for them
        space: (_u, _ai, min, max, dim) => tickSpace(min, max, dim),
        values: (_u, splits, _ai, _space, incr) => splits.map((v) => tickLabel(v, incr)),
      },
      {
        stroke: axis,
        grid: { stroke: grid, width: 1 },
        ticks: { show: false },
        font,
        size: 44,
        incrs: [...COUNT_STEPS],
        values: (_u, splits) => splits.map((v) => (v >= 1000 ? `${Math.round(v / 100) / 10}k` : String(v))),
      },
    ],
    series: [
      {},
      {
        label: 'matches',
        stroke: cssVar('--chart-bar'),
        fill: cssVar('--chart-bar'),
        width: 0,
        paths: uPlot.paths.bars!({ size: [0.92, 64], align: 1 }),
        points: { show: false },
      },
    ],
    hooks: {
      setSelect: [
        (u) => {
          if (u.select.width < 3) return;
          const a = u.posToVal(u.select.left, 'x');
          const b = u.posToVal(u.select.left + u.select.width, 'x');
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          onZoom(Math.floor(a), Math.ceil(b));
        },
      ],
      setCursor: [
        (u) => {
          const i = u.cursor.idx;
          if (i === null || i === undefined || u.cursor.left === undefined || u.cursor.left < 0) {
            tip.hidden = true;
            return;
          }
          const t = data.buckets[i];
          if (t === undefined) return;
          tip.hidden = false;
          tip.textContent = `${formatUtc(t.t)} · ${formatInt(t.count)}`;
          const x = Math.min(Math.max(0, u.cursor.left + u.bbox.left / devicePixelRatio - 60), u.width - 150);
          tip.style.transform = `translateX(${x}px)`;
        },
      ],
    },
  };
}

export function Histogram({ data, height = 110, onZoom }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const tip = useRef<HTMLDivElement>(null);
  const zoom = useRef(onZoom);
  zoom.current = onZoom;
  const [theme] = useTheme();

  useEffect(() => {
    const el = box.current;
    const tipEl = tip.current;
    if (el === null || tipEl === null) return;
    const xs = data.buckets.map((b) => b.t);
    const ys = data.buckets.map((b) => b.count);
    const plot = new uPlot(options(Math.max(200, el.clientWidth), height, data, (a, b) => zoom.current(a, b), tipEl), [xs, ys], el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [data, height, theme]);

  return (
    <div className="histogram">
      <div ref={box} className="histogram-plot" role="img" aria-label={`Matches over time, ${data.buckets.length} buckets; drag to zoom`} />
      <div ref={tip} className="histogram-tip" hidden />
    </div>
  );
}
