-- The staged warehouse tables: the contract between ingest (which fills them from either
-- profile) and every later stage (features, outcomes, tiers), which read only these.
CREATE TABLE IF NOT EXISTS practices (
  practice_code VARCHAR NOT NULL,      -- unique (ingest checks); validated: ^[A-Z][A-Z0-9]{2,9}$, never a reserved device name
  practice_name VARCHAR NOT NULL,
  network_code  VARCHAR NOT NULL,      -- same validation as practice_code; 'UNKNOWN' when not supplied
  network_name  VARCHAR NOT NULL,
  wave          INTEGER,               -- NULL: never joined the programme
  wave_start    DATE
);
CREATE TABLE IF NOT EXISTS registrations (
  patient_id         VARCHAR NOT NULL,
  practice_code      VARCHAR NOT NULL,
  registration_start DATE NOT NULL,
  registration_end   DATE,              -- NULL: current
  year_of_birth      INTEGER NOT NULL,
  sex                VARCHAR NOT NULL,  -- 'M' | 'F' | 'U'
  lsoa_code          VARCHAR,
  imd_decile         INTEGER,           -- 1 = most deprived
  date_of_death      DATE
);
CREATE TABLE IF NOT EXISTS spells (
  spell_id               VARCHAR NOT NULL,  -- unique: ingest rejects duplicate keys
  patient_id             VARCHAR NOT NULL,
  admission_date         DATE NOT NULL,
  discharge_date         DATE NOT NULL,
  admission_method       VARCHAR NOT NULL,  -- HES ADMIMETH
  patient_classification VARCHAR NOT NULL,  -- HES CLASSPAT
  primary_diagnosis      VARCHAR,           -- ICD-10, upper case, no dot, 3-4 chars
  diagnoses              VARCHAR[] NOT NULL,-- all diagnoses, primary first
  provider_code          VARCHAR,
  cost                   DOUBLE NOT NULL,   -- 0 when not supplied
  los_days               INTEGER NOT NULL,  -- discharge_date - admission_date
  is_emergency           BOOLEAN NOT NULL,  -- ADMIMETH 21-25, 2A-2D, 28
  is_elective            BOOLEAN NOT NULL,  -- ADMIMETH 11-13
  is_day_case            BOOLEAN NOT NULL,  -- CLASSPAT 2
  registered             BOOLEAN NOT NULL,  -- patient appears in registrations
  cost_method            VARCHAR            -- how cost was set: given | hrg | pod | none (see schemas/costs/)
);
CREATE TABLE IF NOT EXISTS ae_attendances (
  attendance_id       VARCHAR NOT NULL,  -- unique (ingest)
  patient_id          VARCHAR NOT NULL,
  arrival_date        DATE NOT NULL,
  attendance_category VARCHAR NOT NULL,
  provider_code       VARCHAR,
  cost                DOUBLE NOT NULL,
  registered          BOOLEAN NOT NULL,
  department_type     VARCHAR,           -- '01' major A&E (type 1) .. '05' SDEC; NULL: not known
  admitted            BOOLEAN,           -- admitted to a hospital bed from the attendance; NULL: not known
  cost_method         VARCHAR            -- given | hrg | pod | none
);
CREATE TABLE IF NOT EXISTS op_appointments (
  appointment_id   VARCHAR NOT NULL,  -- unique (ingest)
  patient_id       VARCHAR NOT NULL,
  appointment_date DATE NOT NULL,
  attended         BOOLEAN NOT NULL,  -- ATTENDED 5, 6
  did_not_attend   BOOLEAN NOT NULL,  -- ATTENDED 3
  is_first         BOOLEAN NOT NULL,  -- FIRSTATT 1, 3
  specialty        VARCHAR,
  provider_code    VARCHAR,
  cost             DOUBLE NOT NULL,
  registered       BOOLEAN NOT NULL,
  cost_method      VARCHAR            -- given | hrg | pod | not_attended | none
);
CREATE TABLE IF NOT EXISTS gp_conditions (
  patient_id    VARCHAR NOT NULL,
  condition     VARCHAR NOT NULL,  -- code from schemas/conditions.csv
  date_recorded DATE NOT NULL
);
CREATE TABLE IF NOT EXISTS social_care (
  patient_id   VARCHAR NOT NULL,
  service_type VARCHAR NOT NULL,  -- 'package' | 'residential'
  start_date   DATE NOT NULL,
  end_date     DATE,
  weekly_cost  DOUBLE NOT NULL
);
