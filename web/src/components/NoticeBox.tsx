/** A panel's last word: a change done (a status, read out politely) or why something was not (an alert). */

export interface Notice {
  kind: 'ok' | 'error';
  text: string;
}

export function NoticeBox({ notice }: { notice: Notice | null }) {
  if (notice === null) return null;
  return (
    <div className={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
      {notice.text}
    </div>
  );
}
