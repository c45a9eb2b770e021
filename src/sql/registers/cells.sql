-- registers/cells: macros rendering register values as CSV fields and xlsx cells, so DuckDB writes every practice's
-- file contents in one pass (the same rules as csvField() in src/text/safe.ts; styles: src/xlsx/workbook.ts).
-- Text a spreadsheet would run as a formula (first character = + - @ tab CR) gets a leading quote.
CREATE OR REPLACE TEMP MACRO spreadsheet_safe(t) AS
  CASE WHEN regexp_matches(t, '^[=+\-@\t\r]') THEN concat('''', t) ELSE t END;

-- A number as JavaScript's String(x) writes it: integers without '.0', others in DuckDB's shortest form, which is
-- the same from 1e-4 up (the values written are rounded to 1 or 2 dp).
CREATE OR REPLACE TEMP MACRO js_number(x) AS
  CASE WHEN x = trunc(x) AND abs(x) < 1e21 THEN CAST(CAST(x AS HUGEINT) AS VARCHAR) ELSE CAST(x AS VARCHAR) END;

-- CSV fields: NULL is empty; text is spreadsheet-safe, and quoted when it holds a quote, comma or line break.
CREATE OR REPLACE TEMP MACRO csv_number(x) AS coalesce(js_number(CAST(x AS DOUBLE)), '');
CREATE OR REPLACE TEMP MACRO csv_text(t) AS
  CASE
    WHEN t IS NULL THEN ''
    WHEN contains(t, '"') OR contains(t, ',') OR contains(t, chr(13)) OR contains(t, chr(10)) THEN concat('"', replace(spreadsheet_safe(t), '"', '""'), '"')
    ELSE spreadsheet_safe(t)
  END;

-- xlsx cells at ref ('B7'), style '' or ' s="N"': nothing for NULL (or empty text), numbers as values, text as
-- spreadsheet-safe inline strings with XML escaped and the characters XML 1.0 cannot carry dropped.
CREATE OR REPLACE TEMP MACRO xml_text(t) AS
  CASE WHEN regexp_matches(t, '[&<>"\x00-\x08\x0B\x0C\x0E-\x1F\x{FFFE}\x{FFFF}]')
       THEN replace(replace(replace(replace(
              regexp_replace(t, '[\x00-\x08\x0B\x0C\x0E-\x1F\x{FFFE}\x{FFFF}]', '', 'g'),
              '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;')
       ELSE t END;
CREATE OR REPLACE TEMP MACRO xlsx_number(ref, x, style) AS
  CASE WHEN x IS NULL OR NOT isfinite(CAST(x AS DOUBLE)) THEN ''
       ELSE concat('<c r="', ref, '"', style, '><v>', js_number(CAST(x AS DOUBLE)), '</v></c>') END;
CREATE OR REPLACE TEMP MACRO xlsx_text(ref, t, style) AS
  CASE WHEN t IS NULL OR t = '' THEN ''
       ELSE concat('<c r="', ref, '"', style, ' t="inlineStr"><is><t xml:space="preserve">', xml_text(spreadsheet_safe(t)), '</t></is></c>') END;
