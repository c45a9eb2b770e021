/** Number and label formatting for report tables (deterministic: no locale lookups). */

function group3(intPart: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 12345.678 → '12,345.7' (digits after the point); non-numbers are returned as given ('*', ''). */
export function fmtNumber(value: unknown, digits = 0): string {
  if (value === null || value === undefined || value === '') return '';
  const n = typeof value === 'number' ? value : Number(value);
  if (typeof value === 'string' && !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value.trim())) return value;
  if (!Number.isFinite(n)) return String(value);
  const [i, f] = Math.abs(n).toFixed(digits).split('.');
  const sign = n < 0 && Number(Math.abs(n).toFixed(digits)) !== 0 ? '-' : '';
  return sign + group3(i) + (f ? '.' + f : '');
}

/** A CSV value as given, with thousands separators when it is a plain number (keeps its decimals). */
export function fmtGiven(value: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(value.trim());
  return m ? m[1] + group3(m[2]) + (m[3] ?? '') : value;
}

/** A signed percentage: -11.4 → '-11.4%', 3 → '+3.0%'. */
export function fmtSignedPct(value: number, digits = 1): string {
  const text = fmtNumber(value, digits);
  return (value > 0 && Number(value.toFixed(digits)) !== 0 ? '+' : '') + text + '%';
}

/** A p-value: 3 significant figures, '< 0.0001' for tiny ones. */
export function fmtP(p: number): string {
  if (!Number.isFinite(p)) return String(p);
  if (p < 0.0001) return '< 0.0001';
  return String(Number(p.toPrecision(3)));
}

/** A readable label for a column name: 'ne_bed_days_per_1000' → 'ne bed days per 1,000'. */
export function columnLabel(name: string): string {
  return name.replace(/_/g, ' ').replace(/\b1000\b/g, '1,000').replace(/\bpct\b/g, '%');
}

export const tierLabels: Record<string, string> = {
  complex: 'Complex patients with many conditions',
  less_complex: 'Less complex patients with fewer conditions',
  mainly_healthy: 'Mainly healthy',
};
