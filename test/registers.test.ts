import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, type PipelineConfig } from '../src/config/config.js';
import { CliError } from '../src/errors.js';
import { silentLogger } from '../src/log.js';
import type { StageContext } from '../src/pipeline/context.js';
import { registersStage } from '../src/registers/stage.js';
import { assignTiers } from '../src/segment/assign.js';
import { tiersStage } from '../src/segment/stage.js';
import { Warehouse } from '../src/warehouse/warehouse.js';
import { fixtureAsOf, fixtureDir, loadRegisterFixture } from '../fixtures/registers/load.js';

const config = (extra: Record<string, unknown> = {}): PipelineConfig =>
  parseConfig({ inputs: { dir: '.' }, warehouse: 'w.duckdb', output_root: 'out', ...extra }, os.tmpdir());

let db: Warehouse;
const dirs: string[] = [];
const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-reg-')); dirs.push(d); return d; };
const ctxFor = (outDir: string, asOf = fixtureAsOf, cfg = config()): StageContext => ({ db, config: cfg, asOf, outDir, log: silentLogger });
const read = (dir: string, f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
const csvLines = (dir: string, f: string) => read(dir, f).trimEnd().split('\n').slice(1);

beforeEach(async () => { db = await Warehouse.open(); });
afterEach(() => {
  db.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Every file under dir, relative path → bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isFile()) files.set(f, fs.readFileSync(p));
  }
  return files;
}

describe('registersStage on the hand-made fixture', () => {
  it('gives the hand-worked registers, tier registers and index, then snapshots as-of', async () => {
    await loadRegisterFixture(db);
    const out = tmp();
    await tiersStage(ctxFor(out));
    const result = await registersStage(ctxFor(out));
    for (const f of [
      'registers/A81001.csv', 'registers/B82002.csv', 'registers/C83003.csv', 'registers/index.csv',
      'tier-registers/A81001.csv', 'tier-registers/B82002.csv', 'tier-registers/C83003.csv',
    ]) {
      expect(read(out, f), f).toBe(read(path.join(fixtureDir, 'expected'), f));
    }
    for (const code of ['A81001', 'B82002', 'C83003']) {
      expect(fs.existsSync(path.join(out, 'registers', `${code}.xlsx`))).toBe(true);
      expect(fs.existsSync(path.join(out, 'tier-registers', `${code}.xlsx`))).toBe(true);
    }
    expect(result.outputs).toHaveLength(13);
    expect(result.summary).toMatchObject({ practices: 3, register_size: 9, very_high: 2, high: 1, moderate: 6, left_register: 3 });

    // the snapshot for as-of is today's registers; the others are untouched
    const history = await db.all<{ as_of: string; n: number; ids: string }>(
      `SELECT as_of, count(*) AS n, string_agg(practice_code || ':' || patient_id || ':' || band, ',' ORDER BY practice_code, patient_id) AS ids
       FROM register_history GROUP BY as_of ORDER BY as_of`);
    expect(history.map((h) => [h.as_of, h.n])).toEqual([['2025-02-01', 2], ['2025-03-01', 8], ['2025-04-01', 9], ['2025-05-01', 1]]);
    expect(history[2].ids).toBe('A81001:A01:very high,A81001:A02:high,A81001:A03:moderate,A81001:A04:moderate,A81001:A05:moderate,'
      + 'A81001:A06:moderate,A81001:A07:moderate,A81001:A08:moderate,B82002:B03:very high');
  });

  it('is byte-identical when the same as-of is run again (csv and xlsx)', async () => {
    await loadRegisterFixture(db);
    const first = tmp();
    const second = tmp();
    await tiersStage(ctxFor(first));
    await registersStage(ctxFor(first));
    await tiersStage(ctxFor(second));
    await registersStage(ctxFor(second)); // the as-of snapshot now exists; "last run" is still 2025-03-01
    const a = snapshot(first);
    const b = snapshot(second);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [f, bytes] of a) expect(bytes.equals(b.get(f)!), f).toBe(true);
  });

  it('never puts a patient registered at one practice on another practice\'s register', async () => {
    await loadRegisterFixture(db);
    const out = tmp();
    await tiersStage(ctxFor(out));
    await registersStage(ctxFor(out));
    const practiceOf = new Map((await db.all<{ patient_id: string; practice_code: string }>('SELECT patient_id, practice_code FROM risk_scores'))
      .map((r) => [r.patient_id, r.practice_code]));
    for (const code of ['A81001', 'B82002', 'C83003']) {
      for (const line of csvLines(out, `registers/${code}.csv`)) {
        const [rank, id] = line.split(',');
        // current rows (ranked) are the practice's own patients; B03 (now at B) shows in A only as having left
        if (rank !== '') expect(practiceOf.get(id), `${code} ${id}`).toBe(code);
        else expect(line.endsWith('left register')).toBe(true);
      }
      for (const line of csvLines(out, `tier-registers/${code}.csv`)) expect(practiceOf.get(line.split(',')[2])).toBe(code);
    }
    const b = read(out, 'registers/B82002.csv');
    expect(b).not.toMatch(/\nA\d\d,|,A\d\d,/);
  });

  it('escapes a cell starting with = in the CSV and the xlsx, and formats the xlsx for a person', async () => {
    await loadRegisterFixture(db);
    const out = tmp();
    await tiersStage(ctxFor(out));
    await registersStage(ctxFor(out));
    expect(read(out, 'registers/A81001.csv')).toContain(`,"'=HYPERLINK(""http://x"",""click"")",`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(path.join(out, 'registers', 'A81001.xlsx')) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('Risk register');
    // row 4 = rank 3 = A03; reason 1 is column O
    expect(ws.getCell('B4').value).toBe('A03');
    expect(ws.getCell('O4').value).toBe(`'=HYPERLINK("http://x","click")`);
    expect(ws.getCell('O4').formula).toBeUndefined();
    expect(ws.getCell('A2').value).toBe(1);
    expect(ws.getCell('E2').value).toBe(92.3);
    expect(ws.getCell('E2').numFmt).toBe('0.0');
    expect(ws.getCell('R2').value).toBe('moved up from high');
    expect(ws.getCell('A10').value).toBeNull(); // left rows have no rank
    expect(ws.getCell('R11').value).toBe('left register');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.autoFilter).toBe('A1:R11');
    expect(ws.getColumn(10).width).toBe(40);
    const tier = new ExcelJS.Workbook();
    await tier.xlsx.load(fs.readFileSync(path.join(out, 'tier-registers', 'B82002.xlsx')) as unknown as ArrayBuffer);
    expect(tier.worksheets[0].getCell('C2').value).toBe('B03');
    expect(tier.worksheets[0].autoFilter).toBe('A1:L4');
  });

  it('rejects an unsafe practice code before writing anything', async () => {
    await loadRegisterFixture(db);
    await db.run(`INSERT INTO practices VALUES ('../x', 'Evil', 'NORTH1', 'North Network', NULL, NULL)`);
    const out = tmp();
    await tiersStage(ctxFor(out));
    await expect(registersStage(ctxFor(out))).rejects.toThrow(CliError);
    await expect(registersStage(ctxFor(out))).rejects.toThrow(/practice code "..\/x" is not safe/);
    expect(fs.existsSync(path.join(out, 'registers'))).toBe(false);
    await db.run(`DELETE FROM practices WHERE practice_code = '../x'`);
    await db.run(`UPDATE risk_scores SET practice_code = 'CON' WHERE patient_id = 'B05'`);
    await expect(registersStage(ctxFor(out))).rejects.toThrow(/"CON"/);
  });
});

describe('change tracking across runs', () => {
  // Ten patients at one practice; bands: very high = top 10% (1), high = to 20% (2), moderate = to 40% (4).
  const cfg = config({ bands: { very_high_pct: 10, high_pct: 20, moderate_pct: 40, virtual_ward_score: 70 }, retention: { keep_runs: 2 } });

  async function setScores(scores: Record<string, number>) {
    await db.run('CREATE OR REPLACE TABLE risk_scores (patient_id VARCHAR, practice_code VARCHAR, score DOUBLE, reason_1 VARCHAR, reason_2 VARCHAR, reason_3 VARCHAR)');
    const ids = Array.from({ length: 10 }, (_, i) => `P${String(i + 1).padStart(2, '0')}`);
    await db.run(`INSERT INTO risk_scores VALUES ${ids.map((id) => `('${id}', 'A81001', ${scores[id] ?? 1}, NULL, NULL, NULL)`).join(', ')}`);
    await db.run(`CREATE OR REPLACE TABLE patient_features AS SELECT patient_id, practice_code, 50 AS age, '45-64' AS age_band, 'F' AS sex,
      0 AS emergency_365d, 0 AS ne_bed_days_365d, CAST(NULL AS DATE) AS last_emergency_date, 0.0 AS cost_365d,
      0 AS condition_count, CAST([] AS VARCHAR[]) AS condition_names FROM risk_scores`);
    await assignTiers(db, 'patient_features', cfg.tiers, 'tiers');
  }
  const changes = (out: string) => Object.fromEntries(csvLines(out, 'registers/A81001.csv').map((l) => {
    const f = l.split(',');
    return [f[1], `${f[0]}|${f[5]}|${f[17]}`];
  }));

  it('marks new, moved up, moved down, unchanged and left', async () => {
    await db.runScript(`CREATE TABLE practices (practice_code VARCHAR, practice_name VARCHAR, network_code VARCHAR, network_name VARCHAR, wave INTEGER, wave_start DATE);
      INSERT INTO practices VALUES ('A81001', 'Alpha Surgery', 'NORTH1', 'North', NULL, NULL)`);
    await setScores({ P01: 90, P02: 80, P03: 70, P04: 60 });
    const run1 = tmp();
    await registersStage(ctxFor(run1, '2025-01-01', cfg));
    // first run: nothing before it, so everyone is new
    expect(changes(run1)).toEqual({ P01: '1|very high|new', P02: '2|high|new', P03: '3|moderate|new', P04: '4|moderate|new' });

    await setScores({ P04: 95, P01: 85, P03: 70, P07: 65, P02: 10 });
    const run2 = tmp();
    await registersStage(ctxFor(run2, '2025-02-01', cfg));
    expect(changes(run2)).toEqual({
      P04: '1|very high|moved up from moderate',
      P01: '2|high|moved down from very high',
      P03: '3|moderate|unchanged',
      P07: '4|moderate|new',
      P02: '|high|left register',
    });
    expect(csvLines(run2, 'registers/A81001.csv').at(-1)).toMatch(/^,P02,/); // leavers listed at the end

    // run 2 again, as a re-run: same comparison (with run 1), same bytes
    const again = tmp();
    await registersStage(ctxFor(again, '2025-02-01', cfg));
    expect(read(again, 'registers/A81001.csv')).toBe(read(run2, 'registers/A81001.csv'));
    expect(fs.readFileSync(path.join(again, 'registers/A81001.xlsx')).equals(fs.readFileSync(path.join(run2, 'registers/A81001.xlsx')))).toBe(true);

    // a third run compares with run 2, not run 1
    const run3 = tmp();
    await registersStage(ctxFor(run3, '2025-03-01', cfg));
    expect(changes(run3)).toEqual({ P04: '1|very high|unchanged', P01: '2|high|unchanged', P03: '3|moderate|unchanged', P07: '4|moderate|unchanged' });
    // register_history keeps the snapshots of the newest retention.keep_runs (2) as-of dates
    expect(await db.all('SELECT DISTINCT CAST(as_of AS VARCHAR) AS as_of FROM register_history ORDER BY 1'))
      .toEqual([{ as_of: '2025-02-01' }, { as_of: '2025-03-01' }]);
  });
});
