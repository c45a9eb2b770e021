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
-- Added since the first release (a warehouse made before gets them here; its files then reload, their
-- context being unknown). context: what else the load depended on (layout, opt-out list, price tables).
ALTER TABLE _loaded_files ADD COLUMN IF NOT EXISTS rows_opted_out BIGINT DEFAULT 0;
ALTER TABLE _loaded_files ADD COLUMN IF NOT EXISTS context VARCHAR;
ALTER TABLE spells ADD COLUMN IF NOT EXISTS cost_method VARCHAR;
ALTER TABLE ae_attendances ADD COLUMN IF NOT EXISTS department_type VARCHAR;
ALTER TABLE ae_attendances ADD COLUMN IF NOT EXISTS admitted BOOLEAN;
ALTER TABLE ae_attendances ADD COLUMN IF NOT EXISTS cost_method VARCHAR;
ALTER TABLE op_appointments ADD COLUMN IF NOT EXISTS cost_method VARCHAR;
-- Opted-out patients found in each extract's last load (their rows were excluded), to count them.
CREATE TABLE IF NOT EXISTS _opt_out_found (
  extract    VARCHAR NOT NULL,
  patient_id VARCHAR NOT NULL
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
-- Coded values outside their list that were kept, not rejected (ECDS SNOMED CT fields), per load.
CREATE TABLE IF NOT EXISTS _kept_unknown (
  extract VARCHAR NOT NULL,
  "column" VARCHAR NOT NULL,
  rows    BIGINT NOT NULL
);
