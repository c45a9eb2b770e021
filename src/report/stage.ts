/** Report stage: self-contained HTML pages (index, one per network, one per practice). */
import fs from 'node:fs';
import path from 'node:path';
import type { StageContext, StageResult } from '../pipeline/context.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { readTrends } from '../charts/stage.js';
import { isSafeCode } from '../text/safe.js';
import { present, readCsvIfPresent, readJsonIfPresent } from './inputs.js';
import { indexPage, networkHref, networkPage, practiceHref, practicePage, type PracticeInfo, type ReportInputs } from './pages.js';
import { readMonthly, type EffectSummary } from './sections.js';

/** The practice list from the warehouse, or null when there is no practices table. */
export async function readPractices(db: Warehouse): Promise<PracticeInfo[] | null> {
  const t = await db.one<{ n: number }>(
    "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'practices' AND table_schema = current_schema()");
  if (t.n === 0) return null;
  return db.all<PracticeInfo & Record<string, unknown>>(
    'SELECT practice_code, practice_name, network_code, network_name, wave, wave_start FROM practices ORDER BY network_code, practice_code');
}

/** Reads every input the report uses; an absent file becomes null. */
export async function gatherReportInputs(ctx: Pick<StageContext, 'db' | 'outDir' | 'asOf' | 'log' | 'config'>): Promise<ReportInputs> {
  const { outDir } = ctx;
  const monthlyCsv = readCsvIfPresent(outDir, 'outcomes/monthly.csv');
  // Practice-level rows (exact, for the practice's own page) live in a separate file.
  const practiceCsv = readCsvIfPresent(outDir, 'outcomes/monthly-practice.csv');
  const practices = await readPractices(ctx.db);
  const unsafe = (practices ?? []).flatMap((p) => [p.practice_code, p.network_code]).filter((c) => !isSafeCode(c));
  // Ingest rejects unsafe codes; if one slips through it gets no page (a code never becomes a path unchecked).
  if (unsafe.length) ctx.log.warn({ codes: [...new Set(unsafe)] }, 'report: unsafe codes get no page');
  return {
    outDir,
    asOf: ctx.asOf,
    disclosure: ctx.config.disclosure,
    dataQuality: readJsonIfPresent(outDir, 'data-quality.json'),
    segmentationMeta: readJsonIfPresent(outDir, 'segmentation.json'),
    segmentation: readCsvIfPresent(outDir, 'segmentation.csv'),
    segmentationByNetwork: readCsvIfPresent(outDir, 'segmentation-by-network.csv'),
    segmentationByPractice: readCsvIfPresent(outDir, 'segmentation-by-practice.csv'),
    evaluation: readJsonIfPresent<Record<string, unknown>>(outDir, 'model/evaluation.json'),
    evaluationHtml: present(outDir, 'model/evaluation.html'),
    monthly: monthlyCsv ? readMonthly(monthlyCsv, ...(practiceCsv ? [practiceCsv] : [])) : null,
    trends: readTrends(outDir),
    effect: readJsonIfPresent<EffectSummary>(outDir, 'evaluation/effect.json'),
    practices,
    networkPages: new Set((practices ?? []).map((p) => p.network_code).filter(isSafeCode)),
    practicePages: new Set((practices ?? []).map((p) => p.practice_code).filter(isSafeCode)),
  };
}

export async function reportStage(ctx: StageContext): Promise<StageResult> {
  const inp = await gatherReportInputs(ctx);
  const outputs: string[] = [];
  const write = (rel: string, html: string) => {
    const file = path.join(ctx.outDir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, html);
    outputs.push(rel);
  };
  write('index.html', indexPage(inp));
  for (const code of [...inp.networkPages].sort()) write(networkHref(code), networkPage(inp, code));
  for (const p of inp.practices ?? []) if (inp.practicePages.has(p.practice_code)) write(practiceHref(p.practice_code), practicePage(inp, p));
  const missing = Object.entries({ 'data-quality.json': inp.dataQuality, 'segmentation.csv': inp.segmentation,
    'model/evaluation.json': inp.evaluation, 'outcomes/monthly.csv': inp.monthly, 'outcomes/trends.json': inp.trends,
    'evaluation/effect.json': inp.effect, 'practices table': inp.practices }).filter(([, v]) => v === null).map(([k]) => k);
  if (missing.length) ctx.log.warn({ missing }, 'report: sections skipped for absent inputs');
  ctx.log.info({ pages: outputs.length }, 'report written');
  return { rows: outputs.length, outputs, summary: { pages: outputs.length, missing } };
}
