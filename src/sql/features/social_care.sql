-- Features, step 5: one pass over social care services: cost pro-rated by the days each service
-- overlaps the year before $as_of (end_date inclusive), and whether one is open on the day before.
CREATE OR REPLACE TEMP TABLE _f_sc AS
WITH c AS (
  SELECT
    sc.patient_id,
    sc.weekly_cost,
    greatest(sc.start_date, $as_of::DATE - 365) AS from_day,
    least(coalesce(sc.end_date, $as_of::DATE - 1), $as_of::DATE - 1) AS to_day
  FROM social_care sc
  WHERE sc.start_date < $as_of::DATE
), overlap AS (
  SELECT patient_id, weekly_cost, greatest(to_day - from_day + 1, 0) AS days, to_day = $as_of::DATE - 1 AS open_day_before
  FROM c
)
SELECT
  patient_id,
  sum(weekly_cost / 7.0 * days)::DOUBLE AS social_care_cost_365d,
  bool_or(open_day_before AND days > 0) AS social_care_active
FROM overlap
GROUP BY patient_id;
