-- ingest/macros: small predicates shared by the row checks.
-- ingest_trim(v) = trim(v), which strips Unicode spaces and is slow (it decodes every character):
-- only text that could need it (a space at either end, or any non-ASCII byte) goes through trim.
CREATE OR REPLACE TEMP MACRO ingest_trim(v) AS
  CASE WHEN v ^@ ' ' OR suffix(v, ' ') OR strlen(v) <> length(v) THEN trim(v) ELSE v END;
-- Of trimmed text (every caller trims first).
CREATE OR REPLACE TEMP MACRO ingest_blank(v) AS (v IS NULL OR v = '');
-- ingest_safe_code mirrors isSafeCode in src/text/safe.ts (a test keeps the two in step).
CREATE OR REPLACE TEMP MACRO ingest_safe_code(v) AS
  (regexp_full_match(v, '[A-Z][A-Z0-9]{2,9}') AND NOT regexp_full_match(v, 'CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9]'));
-- ICD-10 as stored: upper case, no dot, letter + 2 digits + optional 4th character.
CREATE OR REPLACE TEMP MACRO ingest_icd_norm(v) AS nullif(rtrim(upper(replace(ingest_trim(v), '.', '')), '-'), '');
CREATE OR REPLACE TEMP MACRO ingest_is_icd10(v) AS regexp_full_match(v, '[A-Z][0-9]{2}[0-9A-Z]?');
CREATE OR REPLACE TEMP MACRO ingest_date_reason(d, col, extract_date) AS CASE
  WHEN d < DATE '1900-01-01' THEN 'date_before_1900: ' || col
  WHEN d > extract_date THEN 'future_date: ' || col
END;
-- A two-character code given without its leading zero ('1' for '01'), as some extracts write it.
CREATE OR REPLACE TEMP MACRO ingest_code2(v) AS
  CASE WHEN regexp_full_match(ingest_trim(v), '[0-9]') THEN '0' || ingest_trim(v) ELSE nullif(upper(ingest_trim(v)), '') END;
-- An HRG as priced: upper case, no spaces; empty = none.
CREATE OR REPLACE TEMP MACRO ingest_hrg(v) AS nullif(upper(ingest_trim(v)), '');
-- HES: a placeholder date (1800-01-01, 1801-01-01, 1802-01-01) is missing.
CREATE OR REPLACE TEMP MACRO ingest_hes_date(d, placeholders) AS
  CASE WHEN list_contains(placeholders, CAST(d AS VARCHAR)) THEN NULL ELSE d END;
-- HES: GPPRAC blank, V81997/8/9 or '&' means no known practice.
CREATE OR REPLACE TEMP MACRO ingest_hes_practice(v, no_practice) AS
  CASE WHEN list_contains(no_practice, ingest_trim(v)) THEN NULL ELSE nullif(ingest_trim(v), '') END;
