// `strata run` on NHS Digital's artificial HES files (pipelines/hes-artificial.json), which carry no costs:
// every row is costed from the shipped unit costs, so the segmentation, the registers and the outcomes
// have costs. Charts and report are left out (they add nothing to costing and take minutes on the files'
// ~800 practice codes).
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { silentLogger } from '../src/log.js';
import { packageRoot } from '../src/paths.js';
import { runPipeline } from '../src/pipeline/run-pipeline.js';
import { defaultStages } from '../src/pipeline/stages.js';
import { tmpDir } from './ingest-helpers.js';

const tmp = tmpDir('strata-hes-run-');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const csv = (file: string) => parse(fs.readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];

describe('strata run on the artificial HES files (no costs in the extracts)', () => {
  it('costs every row, so tiers, registers and outcomes carry costs', async () => {
    const config = { ...loadConfig(path.join(packageRoot, 'pipelines', 'hes-artificial.json')),
      warehouse: path.join(tmp, 'wh.duckdb'), output_root: path.join(tmp, 'out') };
    const stages = defaultStages();
    stages.stages = stages.stages.filter((s) => s.name !== 'charts' && s.name !== 'report');
    const result = await runPipeline({ config, stages, log: silentLogger, progress: false });
    if (result.status !== 'published') throw new Error(`not published: ${result.status}`);
    const dir = result.dir;

    const dq = JSON.parse(fs.readFileSync(path.join(dir, 'data-quality.json'), 'utf8'));
    // 2,071 spells, 1,000 A&E attendances, 1,000 appointments loaded: all priced by point of delivery except
    // appointments not attended (the files have no SUSHRG values, and AEDEPTTYPE is 99 throughout).
    const byMethod = Object.fromEntries(dq.costing.rows.map((r: { extract: string; method: string; rows: number }) => [`${r.extract} ${r.method}`, r.rows]));
    const op = csv(path.join(config.baseDir, config.inputs.dir, config.inputs.files.op!));
    const notAttended = op.filter((r) => !['5', '6'].includes(r.ATTENDED.trim())).length;
    expect(byMethod).toEqual({ 'apc pod': 2071, 'ae pod': 1000, 'op pod': 1000 - notAttended, 'op not_attended': notAttended });
    expect(notAttended).toBeGreaterThan(0);

    const seg = csv(path.join(dir, 'segmentation.csv'));
    expect(seg.map((r) => r.tier)).toEqual(['complex', 'less_complex', 'mainly_healthy']);
    for (const r of seg) expect(Number(r.pct_cost)).toBeGreaterThan(0);
    expect(Math.abs(seg.reduce((s, r) => s + Number(r.pct_cost), 0) - 100)).toBeLessThanOrEqual(0.2);
    // The complex tier's share of cost exceeds its share of people (Symphony's pattern).
    expect(Number(seg[0].pct_cost)).toBeGreaterThan(Number(seg[0].pct_population));

    const registers = fs.readdirSync(path.join(dir, 'registers')).filter((f) => /^[A-Z0-9]+\.csv$/.test(f));
    const rows = registers.flatMap((f) => csv(path.join(dir, 'registers', f)));
    expect(rows.filter((r) => Number(r.cost_12m) > 0).length).toBeGreaterThan(rows.length / 2);

    const costByYear = new Map<string, number>();
    for (const r of csv(path.join(dir, 'outcomes', 'monthly.csv'))) {
      if (r.metric === 'total_cost') costByYear.set(r.month.slice(0, 4), (costByYear.get(r.month.slice(0, 4)) ?? 0) + Number(r.value));
    }
    expect(costByYear.get('2001')).toBeGreaterThan(1_000_000);
  }, 240_000);
});
