/** Dates as whole days since 1970-01-01 (UTC), with cached ISO strings and calendar lookups. */

export const MS_PER_DAY = 86_400_000;

export function dayOf(iso: string): number {
  return Math.round(Date.parse(iso + 'T00:00:00Z') / MS_PER_DAY);
}

export function dayFromYmd(year: number, month1: number, day: number): number {
  return Math.round(Date.UTC(year, month1 - 1, day) / MS_PER_DAY);
}

/** Adds calendar months to a day (day-of-month kept; callers use the 1st). */
export function addMonths(day: number, months: number): number {
  const d = new Date(day * MS_PER_DAY);
  return Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate()) / MS_PER_DAY);
}

const FIRST = dayFromYmd(1890, 1, 1);
const LAST = dayFromYmd(2040, 12, 31);
const SPAN = LAST - FIRST + 1;
const isoCache: (string | undefined)[] = new Array(SPAN);
const years = new Int16Array(SPAN);
const months = new Int8Array(SPAN); // 0 = January
{
  let y = 1890;
  let m = 0;
  let next = dayFromYmd(y, 2, 1);
  for (let i = 0; i < SPAN; i++) {
    if (FIRST + i === next) {
      m++;
      if (m === 12) { m = 0; y++; }
      next = dayFromYmd(y, m + 2, 1);
    }
    years[i] = y;
    months[i] = m;
  }
}

function checkRange(day: number): number {
  const i = day - FIRST;
  if (i < 0 || i >= SPAN) throw new Error(`date out of supported range: day ${day}`);
  return i;
}

/** 'YYYY-MM-DD' for a day number. */
export function iso(day: number): string {
  const i = checkRange(day);
  let s = isoCache[i];
  if (s === undefined) {
    s = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    isoCache[i] = s;
  }
  return s;
}

export function yearOf(day: number): number {
  return years[checkRange(day)];
}

/** Month of the year, 0 = January. */
export function monthOf(day: number): number {
  return months[checkRange(day)];
}
