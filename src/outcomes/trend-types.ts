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
  /** Added by outcomes: true when the published value is suppressed (disclosure 1..7): draw as missing, value is 0. */
  suppressed?: boolean;
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
  year_on_year: {
    months: string; previous: number; current: number; change_pct: number;
    /** Added by outcomes: the 'YYYY-MM' months summed (current: the latest two; previous: a year earlier). */
    current_months?: string[]; previous_months?: string[];
  } | null;
  consecutive_months_below_projection: number;
  effect: {
    method: string; estimate_pct: number; ci_low_pct: number; ci_high_pct: number; p_value: number;
    /** Added by outcomes: panel size and the wild cluster bootstrap check. */
    n_practices?: number; n_treated_practices?: number; n_months?: number; wild_bootstrap_p_value?: number;
    /** Added by outcomes: the same effect with month fixed effects (difference-in-differences). */
    sensitivity?: { method: string; estimate_pct: number; ci_low_pct: number; ci_high_pct: number; p_value: number; wild_bootstrap_p_value: number };
  } | null;
  /** Added by outcomes: why `effect` is null (e.g. a single practice: one treated cluster). */
  effect_note?: string;
}
