/**
 * The tiers stage: segments patient_features into complex / less complex / mainly healthy
 * (table `tiers`) and writes Symphony's segmentation table overall, by network and by practice.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { StageContext, StageResult } from '../pipeline/context.js';
import { toCsv } from '../text/safe.js';
import { readSql } from '../warehouse/warehouse.js';
import { assignTiers, type TierCuts } from './assign.js';
import { suppressCount } from './disclosure.js';
import type { Tier } from './tiers.js';

export interface SegmentationRow {
  tier: Tier;
  people: number;
  /** 0–100, 1 dp; null when the population is empty */
  pct_population: number | null;
  cost: number;
  pct_cost: number | null;
}

interface AreaRow extends SegmentationRow {
  level: 'practice' | 'network';
  area_code: string;
  area_name: string;
  network_code: string;
}

/** A network row as published: people after disclosure control; shares and cost hidden with it. */
export interface NetworkSegmentationRow {
  network_code: string;
  network_name: string;
  tier: Tier;
  people: string;
  pct_population: number | null;
  cost: number | null;
  pct_cost: number | null;
}

export interface SegmentationSummary {
  method: TierCuts['method'];
  description: string;
  cuts: TierCuts;
  table: SegmentationRow[];
  [key: string]: unknown;
}

const tableHeader = ['tier', 'people', 'pct_population', 'cost', 'pct_cost'] as const;

export async function tiersStage(ctx: StageContext): Promise<StageResult & { summary: SegmentationSummary }> {
  const { db, config, outDir } = ctx;
  const cuts = await assignTiers(db, 'patient_features', config.tiers, 'tiers');
  const table = await db.all<SegmentationRow & Record<string, unknown>>(readSql('segment/segmentation'));
  const areas = await db.all<AreaRow & Record<string, unknown>>(readSql('segment/by_area'));

  const byPractice = areas.filter((r) => r.level === 'practice');
  // Network counts leave the practice, so they follow the disclosure rule; where a count is
  // suppressed, its share and cost are blanked too (either would give the count back).
  const byNetwork: NetworkSegmentationRow[] = areas.filter((r) => r.level === 'network').map((r) => {
    const people = suppressCount(r.people, config.disclosure);
    const hidden = people === '*';
    return {
      network_code: r.area_code,
      network_name: r.area_name,
      tier: r.tier,
      people,
      pct_population: hidden ? null : r.pct_population,
      cost: hidden ? null : r.cost,
      pct_cost: hidden ? null : r.pct_cost,
    };
  });

  const files: Record<string, string> = {
    'segmentation.csv': toCsv([...tableHeader], table.map((r) => tableHeader.map((k) => r[k]))),
    'segmentation-by-network.csv': toCsv(
      ['network_code', 'network_name', ...tableHeader],
      byNetwork.map((r) => [r.network_code, r.network_name, r.tier, r.people, r.pct_population, r.cost, r.pct_cost]),
    ),
    'segmentation-by-practice.csv': toCsv(
      ['practice_code', 'practice_name', 'network_code', ...tableHeader],
      byPractice.map((r) => [r.area_code, r.area_name, r.network_code, ...tableHeader.map((k) => r[k])]),
    ),
  };
  const summary: SegmentationSummary = { method: cuts.method, description: cuts.description, cuts, table };
  // For the report: scalars and small objects first (it shows those as settings), tables after.
  files['segmentation.json'] = JSON.stringify({
    as_of: ctx.asOf,
    method: cuts.method,
    description: cuts.description,
    population: cuts.population,
    people: cuts.people,
    settings: cuts.settings,
    cut_points: cuts.cuts,
    table,
    by_network: byNetwork,
    by_practice: byPractice.map((r) => ({
      practice_code: r.area_code, practice_name: r.area_name, network_code: r.network_code,
      tier: r.tier, people: r.people, pct_population: r.pct_population, cost: r.cost, pct_cost: r.pct_cost,
    })),
  }, null, 2) + '\n';

  fs.mkdirSync(outDir, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(outDir, name), text);
  ctx.log.info({ method: cuts.method, people: cuts.people }, 'tiers assigned');
  return { rows: cuts.population, outputs: Object.keys(files), summary };
}
