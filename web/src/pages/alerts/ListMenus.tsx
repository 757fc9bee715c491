/** The Alerts list's Detector, Min score and Sort menus; each choice goes into the address (`set`). */
import { DETECTORS, SORTS } from './list-text.ts';

export function ListMenus({ detector, minScore, sortKey, set }: { detector: string; minScore: string; sortKey: string; set: (patch: Record<string, string>) => void }) {
  return (
    <>
      <label className="inline-field">
        Detector
        <select className="input" aria-label="Detector" value={detector} onChange={(e) => set({ detector: e.target.value })}>
          {DETECTORS.map((d) => (
            <option key={d} value={d}>
              {d === '' ? 'all' : d}
            </option>
          ))}
          {!DETECTORS.includes(detector) && <option value={detector}>{detector} (not a detector)</option>}
        </select>
      </label>
      <label className="inline-field">
        Min score
        <select className="input" aria-label="Minimum score" value={minScore} onChange={(e) => set({ minScore: e.target.value })}>
          <option value="">any</option>
          <option value="0.5">0.5</option>
          <option value="0.8">0.8</option>
          <option value="0.95">0.95</option>
        </select>
      </label>
      <label className="inline-field">
        Sort
        <select className="input" aria-label="Sort" value={sortKey} onChange={(e) => set({ sort: e.target.value })}>
          {SORTS.map((s) => (
            <option key={s.key} value={s.key}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
