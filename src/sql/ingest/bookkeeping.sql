-- ingest/bookkeeping: what ingest remembers between runs.
-- _loaded_files: the file each extract was last loaded from; _rejects: that load's rejected rows.
CREATE TABLE IF NOT EXISTS _loaded_files (
  extract       VARCHAR PRIMARY KEY,
  file          VARCHAR NOT NULL,
  sha256        VARCHAR NOT NULL,
  rows_read     BIGINT NOT NULL,
  rows_loaded   BIGINT NOT NULL,
  rows_rejected BIGINT NOT NULL,
  loaded_at     TIMESTAMP NOT NULL,
  profile       VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS _rejects (
  extract       VARCHAR NOT NULL,
  source_file   VARCHAR NOT NULL,
  line          BIGINT,
  reason        VARCHAR NOT NULL,
  original_line VARCHAR
);
-- HES only: one row per activity record, from which registrations and practices are derived.
CREATE TABLE IF NOT EXISTS hes_patient_activity (
  extract       VARCHAR NOT NULL,
  patient_id    VARCHAR NOT NULL,
  activity_date DATE NOT NULL,
  practice_code VARCHAR,
  sex           VARCHAR,
  year_of_birth INTEGER,
  lsoa_code     VARCHAR,
  date_of_death DATE
);
