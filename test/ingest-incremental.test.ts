import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Warehouse } from '../src/warehouse/warehouse.js';
import { configFor, copyFixture, input, load, rejectLines, tmpDir } from './ingest-helpers.js';

describe('ingest: incremental loads', () => {
  let dir: string;
  let dbFile: string;
  beforeEach(() => {
    dir = copyFixture('native-clean');
    dbFile = path.join(tmpDir(), 'w.duckdb');
  });
  const withDb = async <T>(fn: (db: Warehouse) => Promise<T>): Promise<T> => {
    const db = await Warehouse.open(dbFile);
    try { return await fn(db); } finally { db.close(); }
  };
  afterEach(() => fs.rmSync(path.dirname(dbFile), { recursive: true, force: true }));

  it('re-loading the same files is a no-op that still reports them', async () => {
    const config = configFor(dir, { rejects: { max_share: 1 } });
    const first = await withDb((db) => load(db, config));
    expect(first.summary.changed).toBe(true);
    const loadedAt = await withDb((db) => db.all('SELECT extract, loaded_at FROM _loaded_files ORDER BY 1'));
    const second = await withDb((db) => load(db, config));
    expect(second.summary.changed).toBe(false);
    expect(second.summary.inputs).toEqual(first.summary.inputs);
    expect(await withDb((db) => db.all('SELECT extract, loaded_at FROM _loaded_files ORDER BY 1'))).toEqual(loadedAt);
    expect(await withDb((db) => db.one('SELECT count(*) AS n FROM spells'))).toEqual({ n: 3 });
  });

  it('a corrected re-delivery replaces that extract\'s rows, never duplicates them, and keeps its rejects current', async () => {
    const config = configFor(dir, { rejects: { max_share: 1 } });
    fs.appendFileSync(path.join(dir, 'apc.csv'), 'S4,P1,2024-04-01,2024-03-01,11,1,I10,,RA1,10\n');
    const first = await withDb((db) => load(db, config));
    expect(input(first.summary, 'apc')).toEqual([4, 3, 1]);
    expect(rejectLines(first.outDir, 'apc')).toEqual([[5, 'discharge_before_admission']]);
    // The corrected file: S4 fixed, S2 withdrawn.
    fs.writeFileSync(path.join(dir, 'apc.csv'), fs.readFileSync(path.join(dir, 'apc.csv'), 'utf8')
      .replace('2024-04-01,2024-03-01', '2024-04-01,2024-04-02').replace(/^S2,.*\n/m, ''));
    const second = await withDb((db) => load(db, config));
    expect(second.summary.changed).toBe(true);
    expect(input(second.summary, 'apc')).toEqual([3, 3, 0]);
    expect(rejectLines(second.outDir, 'apc')).toEqual([]);
    expect(await withDb((db) => db.all('SELECT spell_id FROM spells ORDER BY 1'))).toEqual([{ spell_id: 'S1' }, { spell_id: 'S3' }, { spell_id: 'S4' }]);
    // Other extracts were not re-read.
    expect(second.summary.inputs.find((i) => i.extract === 'ae')).toEqual(first.summary.inputs.find((i) => i.extract === 'ae'));
  });

  it('recomputes registered flags when only registrations change', async () => {
    const config = configFor(dir);
    await withDb((db) => load(db, config));
    expect(await withDb((db) => db.all("SELECT registered FROM spells WHERE spell_id = 'S3'"))).toEqual([{ registered: false }]);
    fs.appendFileSync(path.join(dir, 'registrations.csv'), 'P3,A00001,2017-01-01,,1970,F,,,\n');
    const second = await withDb((db) => load(db, config));
    expect(await withDb((db) => db.all("SELECT registered FROM spells WHERE spell_id = 'S3'"))).toEqual([{ registered: true }]);
    expect(second.summary.unregistered_activity).toEqual([{ extract: 'apc', rows: 0 }, { extract: 'ae', rows: 0 }, { extract: 'op', rows: 0 }]);
  });

  it('re-checks registrations when practices change', async () => {
    const config = configFor(dir, { rejects: { max_share: 1 } });
    await withDb((db) => load(db, config));
    fs.writeFileSync(path.join(dir, 'practices.csv'), 'practice_code,practice_name,network_code,network_name,wave,wave_start\nB00002,Beta,N01,North,,\n');
    const second = await withDb((db) => load(db, config));
    expect(input(second.summary, 'registrations')).toEqual([2, 0, 2]);
    expect(rejectLines(second.outDir, 'registrations')).toEqual([[2, 'unknown_practice'], [3, 'unknown_practice']]);
  });

  it('an optional extract that disappears is removed; one that appears is loaded', async () => {
    const config = configFor(dir);
    fs.writeFileSync(path.join(dir, 'social_care.csv'), 'patient_id,service_type,start_date,end_date,weekly_cost\nP1,package,2023-01-01,,250\n');
    const first = await withDb((db) => load(db, config));
    expect(input(first.summary, 'social_care')).toEqual([1, 1, 0]);
    fs.rmSync(path.join(dir, 'social_care.csv'));
    const second = await withDb((db) => load(db, config));
    expect(second.summary.changed).toBe(true);
    expect(second.summary.inputs.map((i) => i.extract)).not.toContain('social_care');
    expect(await withDb((db) => db.one('SELECT count(*) AS n FROM social_care'))).toEqual({ n: 0 });
  });
});
