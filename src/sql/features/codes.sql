-- Features, step 0: the code lists (schemas/codes/*.csv, schemas/conditions.csv) as temp tables.
-- ICD-10 prefixes are 3 or 4 characters without a dot; the merged condition vocabulary labels every flag.
CREATE OR REPLACE TEMP TABLE _codes_charlson AS
SELECT prefix, condition, label, weight::INTEGER AS weight, nullif(ltc, '') AS ltc
FROM read_csv($charlson_csv, header = true, all_varchar = true);

CREATE OR REPLACE TEMP TABLE _codes_parr AS
SELECT prefix, condition, label, nullif(ltc, '') AS ltc
FROM read_csv($parr_csv, header = true, all_varchar = true);

CREATE OR REPLACE TEMP TABLE _ltc_vocab AS
WITH gp AS (
  SELECT condition, label FROM read_csv($conditions_csv, header = true, all_varchar = true)
), extra AS (
  SELECT condition, label FROM read_csv($ltc_extra_csv, header = true, all_varchar = true)
)
SELECT condition, label FROM gp
UNION ALL
SELECT condition, label FROM extra;
