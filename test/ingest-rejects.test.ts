import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError } from '../src/errors.js';
import { ensureIngestSchema, latestActivityDate } from '../src/ingest/load.js';
import { isSafeCode } from '../src/text/safe.js';
import { Warehouse } from '../src/warehouse/warehouse.js';
import { configFor, copyFixture, fixtures, input, load, rejectLines, tmpDir } from './ingest-helpers.js';

// Expected values are those of fixtures/ingest/native-rejects/EXPECTED.md, worked out by hand.
describe('ingest: every reject reason (native fixture)', () => {
  let db: Warehouse;
  beforeEach(async () => { db = await Warehouse.open(); });
  afterEach(() => db.close());

  it('rejects exactly the planted rows, with their lines and reasons', async () => {
    const config = configFor(path.join(fixtures, 'native-rejects'), { rejects: { max_share: 1 } });
    const { summary, outDir } = await load(db, config);
    expect(rejectLines(outDir, 'practices')).toEqual([
      [4, 'unsafe_practice_code'], [5, 'unsafe_practice_code'], [6, 'duplicate_key'],
      [7, 'missing_required: practice_name'], [8, 'type_error: wave']]);
    expect(rejectLines(outDir, 'registrations')).toEqual([
      [4, 'unknown_practice'], [5, 'unsafe_practice_code'], [6, 'date_before_1900: registration_start'],
      [7, 'future_date: registration_start'], [8, 'missing_required: year_of_birth'], [9, 'type_error: year_of_birth']]);
    expect(rejectLines(outDir, 'apc')).toEqual([
      [3, 'discharge_before_admission'], [4, 'unknown_admission_method'], [5, 'unknown_patient_classification'],
      [6, 'invalid_icd10: primary_diagnosis'], [7, 'invalid_icd10: secondary_diagnoses'], [8, 'negative_cost'],
      [9, 'absurd_cost'], [10, 'duplicate_key'], [11, 'missing_required: patient_id'],
      [13, 'type_error: discharge_date'], [14, 'future_date: admission_date'], [15, 'date_before_1900: admission_date']]);
    expect(rejectLines(outDir, 'ae')).toEqual([[3, 'unknown_code: attendance_category'], [4, 'duplicate_key']]);
    expect(rejectLines(outDir, 'op')).toEqual([[4, 'unknown_code: attended'], [5, 'missing_required: specialty']]);
    expect(rejectLines(outDir, 'gp_conditions')).toEqual([[3, 'unknown_code: condition']]);

    expect(input(summary, 'practices')).toEqual([7, 2, 5]);
    expect(input(summary, 'registrations')).toEqual([8, 2, 6]);
    expect(input(summary, 'apc')).toEqual([15, 3, 12]);
    expect(input(summary, 'ae')).toEqual([4, 2, 2]);
    expect(input(summary, 'op')).toEqual([4, 2, 2]);
    expect(input(summary, 'gp_conditions')).toEqual([2, 1, 1]);
    expect(summary.inputs.map((i) => i.extract)).not.toContain('social_care');
    for (const i of summary.inputs) expect([i.rows_read, i.rows_opted_out]).toEqual([i.rows_loaded + i.rows_rejected, 0]);
    expect(summary.unregistered_activity).toEqual([{ extract: 'apc', rows: 1 }, { extract: 'ae', rows: 1 }, { extract: 'op', rows: 0 }]);

    // The original line travels with the reject, exactly as in the file.
    const apcRejects = fs.readFileSync(path.join(outDir, 'rejects', 'apc.csv'), 'utf8');
    expect(apcRejects).toContain('apc.csv,13,type_error: discharge_date,"S11,P1,2024-05-01,not-a-date,12,1,K590,,RA1,10"');
    expect(apcRejects.split('\n')[0]).toBe('source_file,line,reason,original_line');

    // S10 gives no cost: a day case, costed at the shipped day-case unit cost (schemas/costs/unit_costs.csv).
    const spells = await db.all('SELECT spell_id, diagnoses, los_days, is_emergency, is_day_case, cost, cost_method, registered FROM spells ORDER BY spell_id');
    expect(spells).toEqual([
      { spell_id: 'S1', diagnoses: ['J441', 'I10', 'E119'], los_days: 4, is_emergency: true, is_day_case: false, cost: 2500.5, cost_method: 'given', registered: true },
      { spell_id: 'S10', diagnoses: ['K590'], los_days: 2, is_emergency: false, is_day_case: true, cost: 912.53, cost_method: 'pod', registered: false },
      { spell_id: 'S14', diagnoses: ['R69X', 'I10', 'E11'], los_days: 3, is_emergency: true, is_day_case: false, cost: 300, cost_method: 'given', registered: true },
    ]);
    expect(await db.all('SELECT practice_code FROM practices ORDER BY 1')).toEqual([{ practice_code: 'A00001' }, { practice_code: 'B00002' }]);
    expect(await db.all('SELECT appointment_id, attended, did_not_attend, is_first FROM op_appointments ORDER BY 1')).toEqual([
      { appointment_id: 'O1', attended: true, did_not_attend: false, is_first: true },
      { appointment_id: 'O2', attended: false, did_not_attend: true, is_first: false },
    ]);
    expect(await latestActivityDate(db)).toBe('2024-06-04');
    const dq = JSON.parse(fs.readFileSync(path.join(outDir, 'data-quality.json'), 'utf8'));
    expect(Object.keys(dq)).toEqual(['inputs', 'reasons', 'kept_unknown_codes', 'unregistered_activity', 'opt_outs', 'costing']);
    expect(dq.opt_outs).toBeNull();
    expect(dq.costing.rows).toEqual([{ extract: 'apc', method: 'given', rows: 2, cost: 2800.5 }, { extract: 'apc', method: 'pod', rows: 1, cost: 912.53 },
      // A3 gives no cost and no department type: the shipped all-types A&E unit cost.
      { extract: 'ae', method: 'given', rows: 1, cost: 150 }, { extract: 'ae', method: 'pod', rows: 1, cost: 272.97 },
      { extract: 'op', method: 'given', rows: 2, cost: 120 }]);
    expect(dq.reasons).toContainEqual({ extract: 'apc', reason: 'absurd_cost', rows: 1 });
  });

  it('fails with exit 3 above the reject policy, after writing rejects, leaving the warehouse as it was', async () => {
    const clean = configFor(path.join(fixtures, 'native-clean'));
    await load(db, clean);
    const before = await db.all('SELECT spell_id FROM spells ORDER BY 1');
    const outDir = tmpDir('strata-out-');
    const err = await load(db, configFor(path.join(fixtures, 'native-rejects')), outDir).catch((e) => e);
    expect(err).toBeInstanceOf(CliError);
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(/apc 80\.00% \(12 of 15 rows of apc\.csv\)/);
    expect(err.message.split('\n')).toHaveLength(1);
    expect(rejectLines(outDir, 'apc')).toHaveLength(12);
    expect(await db.all('SELECT spell_id FROM spells ORDER BY 1')).toEqual(before);
  });

  it('keeps the SQL safe-code check in step with isSafeCode', async () => {
    await ensureIngestSchema(db);
    const samples = ['A00001', 'Y01234', '../x', 'CON', 'con', 'COM1', 'LPT9', 'NUL', 'AB', 'ABC', 'A1234567890', 'A123456789', 'N01', '1AB', 'A-B12', 'UNKNOWN', ''];
    for (const code of samples) {
      const { ok } = await db.one<{ ok: boolean | null }>('SELECT ingest_safe_code($1) AS ok', [code]);
      expect([code, Boolean(ok)]).toEqual([code, isSafeCode(code)]);
    }
  });

  it('names the file and column when a required column is missing, before loading anything', async () => {
    const dir = copyFixture('native-clean');
    fs.writeFileSync(path.join(dir, 'registrations.csv'), 'patient_id,practice_code,registration_start\nP1,A00001,2015-01-01\n');
    const err = await load(db, configFor(dir)).catch((e) => e);
    expect(err).toBeInstanceOf(CliError);
    expect(err.exitCode).toBe(2);
    expect(err.message).toBe('registrations.csv: missing required column year_of_birth');
    expect(await db.all("SELECT * FROM information_schema.tables WHERE table_name = '_loaded_files'")).toHaveLength(1);
    expect((await db.one<{ n: number }>('SELECT count(*) AS n FROM spells')).n).toBe(0);
  });

  it('fails with exit 2 naming an absent required file', async () => {
    const dir = copyFixture('native-clean');
    fs.rmSync(path.join(dir, 'op.csv'));
    const err = await load(db, configFor(dir)).catch((e) => e);
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(/required extract op not found: .*op\.csv$/);
  });
});

// A quoted field may span lines: DuckDB's reject_errors.line then counts records, not lines, so
// both kinds of reject after such a field must be placed through the record index.
describe('ingest: reject lines after a quoted field that spans lines', () => {
  const rows = (nl: string) => [
    'appointment_id,patient_id,appointment_date,attended,first_attendance,specialty,provider_code,cost', // line 1
    `O1,P1,2024-01-01,5,1,300,"RA1${nl}second line${nl}third line",120`, // lines 2-4: loads
    'O2,P1,2024-02-30,5,1,300,RA1,120', // line 5: DuckDB, not a date
    'O3,P1,2024-03-01,8,1,300,RA1,120', // line 6: ours, unknown attended code
    '', // line 7: blank, not a record
    'O4,P1,2024-03-02,5,1,300,RA1,120,extra', // line 8: DuckDB, too many columns
    'O5,P1,2024-03-03,5,1,300,RA1,120', // line 9: loads
    `O6,P1,2024-03-04,5,1,300,"RA1${nl}x",abc`, // lines 10-11: DuckDB, cost not a number
    `O7,P1,2024-03-05,5,7,300,"RA1${nl}y",120`, // lines 12-13: ours, unknown first_attendance code
    'O8,P1,2024-03-06,5,1,300,RA1,120', // line 14: loads
  ];
  const expected = (nl: string) => [
    { line: 5, reason: 'type_error: appointment_date', original_line: 'O2,P1,2024-02-30,5,1,300,RA1,120' },
    { line: 6, reason: 'unknown_code: attended', original_line: 'O3,P1,2024-03-01,8,1,300,RA1,120' },
    { line: 8, reason: 'too_many_columns', original_line: 'O4,P1,2024-03-02,5,1,300,RA1,120,extra' },
    { line: 10, reason: 'type_error: cost', original_line: `O6,P1,2024-03-04,5,1,300,"RA1${nl}x",abc` },
    { line: 12, reason: 'unknown_code: first_attendance', original_line: `O7,P1,2024-03-05,5,7,300,"RA1${nl}y",120` },
  ];
  const variants: [string, string, string][] = [
    ['LF', rows('\n').join('\n') + '\n', '\n'],
    ['CRLF', rows('\r\n').join('\r\n') + '\r\n', '\r\n'],
    ['BOM, CRLF, no final newline', '\uFEFF' + rows('\r\n').join('\r\n'), '\r\n'],
  ];

  for (const [name, text, nl] of variants) {
    it(`gives each reject its own line and text (${name})`, async () => {
      const dir = copyFixture('native-clean');
      fs.writeFileSync(path.join(dir, 'op.csv'), text);
      const db = await Warehouse.open();
      try {
        const { summary, outDir } = await load(db, configFor(dir, { rejects: { max_share: 1 } }));
        expect(input(summary, 'op')).toEqual([8, 3, 5]);
        expect(await db.all("SELECT line, reason, original_line FROM _rejects WHERE extract = 'op' ORDER BY line")).toEqual(expected(nl));
        expect(await db.all('SELECT appointment_id FROM op_appointments ORDER BY 1')).toEqual(
          [{ appointment_id: 'O1' }, { appointment_id: 'O5' }, { appointment_id: 'O8' }]);
        // The rejects file carries the same lines (its originals may span lines, so match its start).
        expect(fs.readFileSync(path.join(outDir, 'rejects', 'op.csv'), 'utf8'))
          .toContain('op.csv,8,too_many_columns,"O4,P1,2024-03-02,5,1,300,RA1,120,extra"');
      } finally {
        db.close();
      }
    });
  }
});
