/** The numbers behind one group's bed-day trend chart: written by outcomes, drawn by charts. */
export interface TrendPoint {
  month: string;              // 'YYYY-MM'
  value: number;              // observed monthly non-elective bed days (adults, stays of 1+ days)
  projected: number | null;   // projection of the pre-programme trend (linear + month-of-year)
  pi_low: number | null;      // 95% prediction interval of the projection
  pi_high: number | null;
  mean: number;               // SPC centre line for this point (after any rebase)
  lpl: number;                // SPC lower / upper process limits
  upl: number;
  special_cause: string | null; // SPC rule name or null
}

export interface TrendGroup {
  /** 'all', or 'network', 'practice', 'wave', 'tier' */
  level: 'all' | 'network' | 'practice' | 'wave' | 'tier';
  code: string;               // 'ALL', a network or practice code, 'wave-1', a tier name
  name: string;
  points: TrendPoint[];
  /** Programme wave starts to mark: first month of each wave relevant to this group. */
  waves: { wave: number; month: string }[];
  /** Symphony-style year-on-year comparison of the same months. */
  year_on_year: { months: string; previous: number; current: number; change_pct: number } | null;
  consecutive_months_below_projection: number;
  effect: { method: string; estimate_pct: number; ci_low_pct: number; ci_high_pct: number; p_value: number } | null;
}
