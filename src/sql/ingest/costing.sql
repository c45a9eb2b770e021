-- ingest/costing: the cost of a row whose extract gives none. Prices are the temp tables _hrg_prices
-- (by HRG) and _unit_costs (by point of delivery), loaded from schemas/costs/ or the config's files.
-- A row is costed as given, else by its HRG when the price table has a price for its setting, else by
-- its point of delivery; cost_method records which.

-- Point of delivery of a spell, as the National Cost Collection counts it: elective (ADMIMETH 11-13) day
-- case (CLASSPAT 2), regular day or night attender (3, 4) or ordinary admission; non-elective (every other
-- method) short stay (length of stay under 2 days) or long stay.
CREATE OR REPLACE TEMP MACRO cost_spell_pod(admission_method, classpat, los) AS CASE
  WHEN admission_method IN ('11', '12', '13') THEN CASE
    WHEN classpat = '2' THEN 'day_case' WHEN classpat IN ('3', '4') THEN 'regular_attender' ELSE 'elective_ordinary' END
  WHEN los < 2 THEN 'non_elective_short_stay'
  ELSE 'non_elective_long_stay' END;

-- A price plus the long-stay payment: every day beyond the trim point at the per-day rate (nothing when the
-- table gives no trim point or rate).
CREATE OR REPLACE TEMP MACRO cost_with_excess(price, los, trim_days, per_day) AS
  price + coalesce(greatest(los - trim_days, 0) * per_day, 0);

-- A spell's HRG price (NHS Payment Scheme shape): day case and regular attender at the day-case price; an
-- ordinary elective spell at the elective price with its trim point; a non-elective spell at the reduced
-- short-stay price under 2 days where there is one, else the non-elective price with its trim point.
CREATE OR REPLACE TEMP MACRO cost_spell_hrg(pod, los, h) AS CASE pod
  WHEN 'day_case' THEN h.day_case
  WHEN 'regular_attender' THEN h.day_case
  WHEN 'elective_ordinary' THEN cost_with_excess(h.ordinary_elective, los, h.elective_trim_days, h.per_day_long_stay)
  WHEN 'non_elective_short_stay' THEN coalesce(h.non_elective_short_stay, cost_with_excess(h.non_elective, los, h.non_elective_trim_days, h.per_day_long_stay))
  ELSE cost_with_excess(h.non_elective, los, h.non_elective_trim_days, h.per_day_long_stay) END;

CREATE OR REPLACE TEMP MACRO cost_method(given, hrg_cost, pod_cost) AS CASE
  WHEN given IS NOT NULL THEN 'given' WHEN hrg_cost IS NOT NULL THEN 'hrg' WHEN pod_cost IS NOT NULL THEN 'pod' ELSE 'none' END;

-- Point of delivery of an A&E attendance: its department type (01-05), or all types when not known
-- (ingest/ae_unit_costs also falls back to all types when a price table has no row for the type).
CREATE OR REPLACE TEMP MACRO ae_pod(department_type) AS coalesce('ae_type_' || department_type, 'ae_all_types');
