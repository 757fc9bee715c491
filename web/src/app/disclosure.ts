/**
 * A disclosure's closing rules (the top bar's menus): a click or the focus going elsewhere closes it,
 * out of the page too (Tab past its last stop, another window), which no focusin reports: a focusout
 * from inside with no new target, unless a press inside the panel is what took the focus. Escape closes
 * it and gives the focus back to the trigger when the focus was inside.
 */
import { useEffect, useRef, type RefObject } from 'react';

export function useDisclosureClose(open: boolean, close: () => void, box: RefObject<HTMLElement | null>, trigger: RefObject<HTMLElement | null>): void {
  const pressInside = useRef(false);
  useEffect(() => {
    if (!open) return;
    const outside = (t: EventTarget | null) => box.current !== null && !(t instanceof Node && box.current.contains(t));
    const onDown = (e: MouseEvent) => {
      if (outside(e.target)) close();
      else pressInside.current = true;
    };
    const onUp = () => {
      pressInside.current = false;
    };
    const onFocus = (e: FocusEvent) => {
      if (outside(e.target)) close();
    };
    const onFocusOut = (e: FocusEvent) => {
      if (e.relatedTarget === null && !outside(e.target) && !pressInside.current) close();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      const inside = !outside(document.activeElement);
      close();
      if (inside) trigger.current?.focus();
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('mouseup', onUp);
    document.addEventListener('focusin', onFocus);
    document.addEventListener('focusout', onFocusOut);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('mouseup', onUp);
      document.removeEventListener('focusin', onFocus);
      document.removeEventListener('focusout', onFocusOut);
      document.removeEventListener('keydown', onKey);
    };
  }, [open, close, box, trigger]);
}
