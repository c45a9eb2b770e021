/**
 * The tiers stage: segments patient_features into complex / less complex / mainly healthy
 * (table `tiers`) and writes Symphony's segmentation table overall and by network (both leave the
 * practice, so both are disclosure-controlled) and by practice (exact, for the practices).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { StageContext, StageResult } from '../pipeline/context.js';
import { toCsv } from '../text/safe.js';
import { readSql } from '../warehouse/warehouse.js';
import { assignTiers } from './assign.js';
import { publishCuts, publishSegmentationRows, type PublishedCuts, type PublishedSegmentationRow, type SegmentationRow } from './published.js';

interface AreaRow extends SegmentationRow {
  level: 'practice' | 'network';
  area_code: string;
  area_name: string;
  network_code: string;
}

/** A network row as published: people after disclosure control; shares and cost hidden with it. */
export interface NetworkSegmentationRow extends PublishedSegmentationRow {
  network_code: string;
  network_name: string;
}

/** What the stage reports (into manifest.json, which is published with the outputs): published values only. */
export interface SegmentationSummary extends PublishedCuts {
  table: PublishedSegmentationRow[];
  [key: string]: unknown;
}

const tableHeader = ['tier', 'people', 'pct_population', 'cost', 'pct_cost'] as const;

export async function tiersStage(ctx: StageContext): Promise<StageResult & { summary: SegmentationSummary }> {
  const { db, config, outDir } = ctx;
  const cuts = await assignTiers(db, 'patient_features', config.tiers, 'tiers');
  const table = await db.all<SegmentationRow & Record<string, unknown>>(readSql('segment/segmentation'));
  const areas = await db.all<AreaRow & Record<string, unknown>>(readSql('segment/by_area'));

  const byPractice = areas.filter((r) => r.level === 'practice');
  // The ICB-wide table and the network rows leave the practice: both go through the one disclosure
  // path (people per the rule; share and cost blanked where people is '*'). Practice rows stay exact.
  const published = publishSegmentationRows(table, config.disclosure);
  const networks = areas.filter((r) => r.level === 'network');
  const byNetwork: NetworkSegmentationRow[] = [...new Set(networks.map((r) => r.area_code))].flatMap((code) => {
    const rows = networks.filter((r) => r.area_code === code);
    return publishSegmentationRows(rows, config.disclosure).map((p) => ({ network_code: code, network_name: rows[0].area_name, ...p }));
  });
  const publishedCuts = publishCuts(cuts, config.disclosure);

  const files: Record<string, string> = {
    'segmentation.csv': toCsv([...tableHeader], published.map((r) => tableHeader.map((k) => r[k]))),
    'segmentation-by-network.csv': toCsv(
      ['network_code', 'network_name', ...tableHeader],
      byNetwork.map((r) => [r.network_code, r.network_name, ...tableHeader.map((k) => r[k])]),
    ),
    'segmentation-by-practice.csv': toCsv(
      ['practice_code', 'practice_name', 'network_code', ...tableHeader],
      byPractice.map((r) => [r.area_code, r.area_name, r.network_code, ...tableHeader.map((k) => r[k])]),
    ),
  };
  // An ICB-level file: published values only. The exact practice rows are in
  // segmentation-by-practice.csv alone (summed, they would give the exact ICB counts back).
  // For the report: scalars and small objects first (it shows those as settings), tables after.
  files['segmentation.json'] = JSON.stringify({
    as_of: ctx.asOf,
    method: publishedCuts.method,
    description: publishedCuts.description,
    population: publishedCuts.population,
    people: publishedCuts.people,
    settings: publishedCuts.settings,
    cut_points: publishedCuts.cut_points,
    table: published,
    by_network: byNetwork,
  }, null, 2) + '\n';

  fs.mkdirSync(outDir, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(outDir, name), text);
  ctx.log.info({ method: cuts.method, people: cuts.people }, 'tiers assigned');
  return { rows: cuts.population, outputs: Object.keys(files), summary: { ...publishedCuts, table: published } };
}
