/** The ISO date after `date` ('YYYY-MM-DD' in, 'YYYY-MM-DD' out; calendar arithmetic in UTC). */
export function dayAfter(date: string): string {
  const d = new Date(date.slice(0, 10) + 'T00:00:00Z');
  if (Number.isNaN(d.getTime())) throw new Error(`not a date: ${date}`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(s + 'T00:00:00Z');
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** A compact UTC timestamp for file names: 20250401T021500Z. */
export function fileTimestamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}
