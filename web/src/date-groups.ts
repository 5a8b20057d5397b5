/** Sidebar date groups by a conversation's last update, in the browser's local days. Pure. */
export type DateGroup = 'today' | 'yesterday' | 'week' | 'month' | 'older';

export function dateGroupOf(at: number, now: number): DateGroup {
  const day = (ms: number) => {
    const d = new Date(ms);
    return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  };
  const days = Math.round((day(now) - day(at)) / 86_400_000);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days < 7) return 'week';
  if (days < 30) return 'month';
  return 'older';
}
