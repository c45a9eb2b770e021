/**
 * Test support (not used by the CLI): small, deterministic stand-ins for the real stages, so the
 * orchestrator can be tested (in-process and in killed child processes) without real extracts.
 * Inputs: `*.csv` files in inputs.dir with header `day,value`; a value of `BAD` is a reject.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { resolveFromConfig } from '../../config/config.js';
import { CliError, ExitCode } from '../../errors.js';
import { literal } from '../../warehouse/warehouse.js';
import type { Stage, StageContext, StageResult } from '../context.js';
import type { IngestContext, InputRow, PipelineStages } from '../stages.js';

export interface FakeSpec {
  /** Folder where each stage writes `<stage>.started` when it begins (for kill tests). */
  markerDir?: string;
  /** Stage that sleeps `sleepMs` after starting (load sleeps inside an open transaction). */
  sleepAt?: string;
  sleepMs?: number;
  /** Stage that throws an unexpected Error. */
  failAt?: string;
  /** The load stage throws a data-quality CliError, whatever the rejects. */
  loadDataQualityError?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function begin(spec: FakeSpec, name: string): Promise<void> {
  if (spec.markerDir) {
    fs.mkdirSync(spec.markerDir, { recursive: true });
    fs.writeFileSync(path.join(spec.markerDir, `${name}.started`), String(process.pid));
  }
  if (spec.failAt === name) throw new Error(`fake failure in ${name}`);
  if (spec.sleepAt === name && spec.sleepMs) await sleep(spec.sleepMs);
}

async function fakeLoad(spec: FakeSpec, ctx: IngestContext): Promise<StageResult> {
  const { db, config } = ctx;
  if (spec.markerDir) {
    fs.mkdirSync(spec.markerDir, { recursive: true });
    fs.writeFileSync(path.join(spec.markerDir, 'load.started'), String(process.pid));
  }
  if (spec.failAt === 'load') throw new Error('fake failure in load');
  if (spec.loadDataQualityError) throw new CliError('apc: 40% of rows rejected (policy 1%)', ExitCode.dataQuality);
  await db.run(`CREATE TABLE IF NOT EXISTS _loaded_files(file VARCHAR, extract VARCHAR, sha256 VARCHAR,
    rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT, loaded_at TIMESTAMP)`);
  await db.run('CREATE TABLE IF NOT EXISTS events(file VARCHAR, day DATE, value VARCHAR)');
  const dir = resolveFromConfig(config, config.inputs.dir);
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.csv')).sort();
  const inputs: InputRow[] = [];
  let changed = false;
  for (const file of files) {
    const full = path.join(dir, file);
    const sha256 = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
    const seen = await db.all<InputRow & Record<string, unknown>>('SELECT file, extract, sha256, rows_read, rows_loaded, rows_rejected, 0 AS rows_opted_out FROM _loaded_files WHERE sha256 = $sha', { sha: sha256 });
    if (seen.length) {
      inputs.push({ ...seen[0], file });
      continue;
    }
    changed = true;
    await db.run('BEGIN TRANSACTION');
    await db.run('DELETE FROM events WHERE file = $file', { file });
    await db.run(`INSERT INTO events SELECT $file, day, value FROM read_csv(${literal(full)}, header = true,
      columns = {'day': 'DATE', 'value': 'VARCHAR'}) WHERE value <> 'BAD'`, { file });
    const c = await db.one<{ read: number; rejected: number }>(`SELECT count(*) AS read, count(*) FILTER (value = 'BAD') AS rejected
      FROM read_csv(${literal(full)}, header = true, columns = {'day': 'DATE', 'value': 'VARCHAR'})`);
    const row: InputRow = { file, extract: 'events', sha256, rows_read: c.read, rows_loaded: c.read - c.rejected, rows_rejected: c.rejected, rows_opted_out: 0 };
    await db.run('DELETE FROM _loaded_files WHERE file = $file', { file });
    const { rows_opted_out: _none, ...stored } = row;
    await db.run('INSERT INTO _loaded_files VALUES ($file, $extract, $sha256, $rows_read, $rows_loaded, $rows_rejected, current_timestamp)', { ...stored });
    if (spec.sleepAt === 'load' && spec.sleepMs) {
      // Killed here, the new rows are written but not committed.
      if (spec.markerDir) fs.writeFileSync(path.join(spec.markerDir, 'load.in-transaction'), String(process.pid));
      await sleep(spec.sleepMs);
    }
    await db.run('COMMIT');
    inputs.push(row);
  }
  for (const i of inputs) {
    if (i.rows_read > 0 && i.rows_rejected / i.rows_read > config.rejects.max_share) {
      throw new CliError(`${i.file}: ${i.rows_rejected} of ${i.rows_read} rows rejected (policy ${config.rejects.max_share})`, ExitCode.dataQuality);
    }
  }
  fs.writeFileSync(path.join(ctx.outDir, 'data-quality.json'), JSON.stringify({ inputs }, null, 2) + '\n');
  return { rows: inputs.reduce((n, i) => n + i.rows_loaded, 0), outputs: ['data-quality.json'], summary: { inputs, changed } };
}

function stage(spec: FakeSpec, name: string, run: (ctx: StageContext) => Promise<StageResult>): Stage {
  return { name, run: async (ctx) => { await begin(spec, name); return run(ctx); } };
}

/** Fake load + fit, score, registers, report. Outputs depend only on the warehouse and as-of. */
export function fakeStages(spec: FakeSpec = {}): PipelineStages {
  const count = async (ctx: StageContext) =>
    (await ctx.db.one<{ n: number }>('SELECT count(*) AS n FROM events WHERE day < $asOf::DATE', { asOf: ctx.asOf })).n;
  const fit = stage(spec, 'fit', async (ctx) => {
    fs.mkdirSync(path.join(ctx.outDir, 'model'), { recursive: true });
    fs.writeFileSync(path.join(ctx.outDir, 'model', 'model.json'), JSON.stringify({ as_of: ctx.asOf, events: await count(ctx) }) + '\n');
    return { rows: 1, outputs: ['model/model.json'] };
  });
  return {
    load: (ctx) => fakeLoad(spec, ctx),
    latestActivityDate: async (db) => (await db.one<{ d: string }>('SELECT max(day) AS d FROM events')).d,
    stages: [
      fit,
      stage(spec, 'score', async (ctx) => {
        await ctx.db.run(`COPY (SELECT file, day, value FROM events WHERE day < ${literal(ctx.asOf)}::DATE ORDER BY ALL)
          TO ${literal(path.join(ctx.outDir, 'scores.csv'))} (HEADER)`);
        return { rows: await count(ctx), outputs: ['scores.csv'] };
      }),
      stage(spec, 'registers', async (ctx) => {
        fs.mkdirSync(path.join(ctx.outDir, 'registers'), { recursive: true });
        fs.writeFileSync(path.join(ctx.outDir, 'registers', 'A81001.csv'), `patient_id,score\nP1,${await count(ctx)}\n`);
        return { rows: 1, outputs: ['registers/A81001.csv'] };
      }),
      stage(spec, 'report', async (ctx) => {
        fs.writeFileSync(path.join(ctx.outDir, 'index.html'), `<!doctype html><title>strata ${ctx.asOf}</title><p>${await count(ctx)} events</p>\n`);
        return { rows: 1, outputs: ['index.html'], summary: { pages: 1 } };
      }),
    ],
    fit: [fit],
  };
}
