/** Charts stage: one bed-day trend chart (SVG, PNG, CSV) per group in outcomes/trends.json. */
import fs from 'node:fs';
import path from 'node:path';
import type { StageContext, StageResult } from '../pipeline/context.js';
import type { TrendGroup } from '../outcomes/trend-types.js';
import { bedDaysCsv, bedDaysSvg, chartStem } from './bed-days.js';
import { svgToPngAsync } from './render.js';

export const trendsFile = path.join('outcomes', 'trends.json');
export const chartsDir = 'charts';

/** Reads outcomes/trends.json below outDir; null when the outcomes stage did not write it. */
export function readTrends(outDir: string): TrendGroup[] | null {
  const file = path.join(outDir, trendsFile);
  if (!fs.existsSync(file)) return null;
  const groups: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(groups) || groups.some((g) => !g || typeof g !== 'object' || !Array.isArray((g as TrendGroup).points)
    || !Array.isArray((g as TrendGroup).waves))) {
    throw new Error(`${trendsFile}: expected an array of trend groups (level, code, name, points[], waves[])`);
  }
  return groups as TrendGroup[];
}

export async function chartsStage(ctx: StageContext): Promise<StageResult> {
  const started = performance.now();
  const groups = readTrends(ctx.outDir);
  if (!groups) {
    ctx.log.warn({ file: trendsFile }, 'charts skipped: no trend data (outcomes stage did not run)');
    return { rows: 0, outputs: [], summary: { skipped: `${trendsFile} absent` } };
  }
  const dir = path.join(ctx.outDir, chartsDir);
  fs.mkdirSync(dir, { recursive: true });
  const outputs: string[] = [];
  const skipped: string[] = [];
  const pngs: Promise<void>[] = [];
  for (const group of groups) {
    let stem: string;
    try {
      stem = chartStem(group);
    } catch (e) {
      // Ingest rejects unsafe codes, so this is a bug upstream: never let it become a path.
      ctx.log.warn({ level: group.level, err: (e as Error).message }, 'chart skipped: unsafe group code');
      skipped.push(`${group.level}:${JSON.stringify(group.code)}`);
      continue;
    }
    const svg = await bedDaysSvg(group);
    fs.writeFileSync(path.join(dir, `${stem}.svg`), svg);
    fs.writeFileSync(path.join(dir, `${stem}.csv`), bedDaysCsv(group));
    // PNG rasterising runs on the thread pool while the next chart is laid out.
    pngs.push(svgToPngAsync(svg).then((png) => fs.writeFileSync(path.join(dir, `${stem}.png`), png)));
    outputs.push(...['svg', 'png', 'csv'].map((ext) => `${chartsDir}/${stem}.${ext}`));
  }
  await Promise.all(pngs);
  const seconds = Math.round(performance.now() - started) / 1000;
  ctx.log.info({ charts: outputs.length / 3, seconds }, 'charts written');
  return { rows: outputs.length / 3, outputs, summary: { charts: outputs.length / 3, skipped, seconds } };
}
