/** The UTC day `[start, end]` (inclusive, millisecond precision) containing the ISO date `YYYY-MM-DD`. */
export function utcDayRange(isoDate: string): [Date, Date] {
  const start = new Date(`${isoDate}T00:00:00.000Z`);
  return [start, new Date(start.getTime() + 86_400_000 - 1)];
}

/** Today's date in UTC as `YYYY-MM-DD`. */
export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
