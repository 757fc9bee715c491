/**
 * Whether the pointer is on the findings list, for the list to keep its order under it. Read from the
 * document's pointerover: the list's own pointerleave is lost when the element under the pointer goes
 * (the triage form's button, clicked, and the form with it), and the hold then never ended.
 */
import { useEffect, useRef, type MutableRefObject, type RefObject } from 'react';

export function useListPointer(onLeave: () => void): { listRef: RefObject<HTMLDivElement | null>; pointing: MutableRefObject<boolean> } {
  const listRef = useRef<HTMLDivElement>(null);
  const pointing = useRef(false);
  const leave = useRef(onLeave);
  leave.current = onLeave;
  useEffect(() => {
    const at = (target: EventTarget | null) => {
      const inside = listRef.current !== null && target instanceof Node && listRef.current.contains(target);
      if (inside === pointing.current) return;
      pointing.current = inside;
      if (!inside) leave.current();
    };
    const over = (e: PointerEvent) => at(e.target);
    const gone = () => at(null);
    document.addEventListener('pointerover', over);
    document.documentElement.addEventListener('pointerleave', gone);
    return () => {
      document.removeEventListener('pointerover', over);
      document.documentElement.removeEventListener('pointerleave', gone);
    };
  }, []);
  return { listRef, pointing };
}
