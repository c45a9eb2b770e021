-- Features, step 6: one pass over gp_conditions recorded strictly before $as_of:
-- the register codes each patient has (codes outside schemas/conditions.csv are ignored).
CREATE OR REPLACE TEMP TABLE _f_gp AS
WITH g AS (
  SELECT gc.patient_id, gc.condition
  FROM gp_conditions gc
  WHERE gc.date_recorded < $as_of::DATE
)
SELECT g.patient_id, list_sort(list(DISTINCT g.condition)) AS gp_codes
FROM g
SEMI JOIN _ltc_vocab v ON v.condition = g.condition
GROUP BY g.patient_id;
