-- ingest/ae_unit_costs: the point-of-delivery price of an A&E attendance by department type (NULL = not
-- known), built once after the price tables load: the type's own row, else the all-types row (a local
-- table may price only some types). The A&E inserts join it on department type.
CREATE OR REPLACE TEMP TABLE _ae_unit_costs AS
SELECT t.department_type, coalesce(u.unit_cost, a.unit_cost) AS unit_cost
FROM (SELECT unnest(list_append($department_types, NULL)) AS department_type) t
LEFT JOIN _unit_costs u ON u.pod = ae_pod(t.department_type) AND u.specialty IS NULL
LEFT JOIN _unit_costs a ON a.pod = 'ae_all_types' AND a.specialty IS NULL;
