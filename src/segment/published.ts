/**
 * The segmentation as published beyond a practice (the ICB-wide table, network rows, the method and
 * cut points in segmentation.json): counts follow the disclosure rule, and nothing published beside
 * them gives the exact counts back. Practice rows are not published beyond the practice and stay exact.
 */
import { describeCuts, type CutValues, type TierCuts } from './assign.js';
import { discloseRow, publishedRatio, suppressCount, type DisclosureSettings } from './disclosure.js';
import { tierNames, type Tier } from './tiers.js';

/** One tier of a segmentation table, exact (as computed by src/sql/segment/*.sql). */
export interface SegmentationRow {
  tier: Tier;
  people: number;
  /** 0–100, 1 dp; null when the population is empty */
  pct_population: number | null;
  cost: number;
  pct_cost: number | null;
}

/** A tier as published: people after disclosure control; its shares and cost blank when people is '*'. */
export interface PublishedSegmentationRow {
  tier: Tier;
  people: string;
  /** 100 × published people / published population of the area, 1 dp (as outcome rates are: never from exact counts) */
  pct_population: number | null;
  cost: number | null;
  pct_cost: number | null;
}

/**
 * The one path for every segmentation table that leaves the practice: one area's tiers (ICB-wide, or
 * one network). People follow the rule; the share of the population is worked out from the published
 * numbers, since a share of the exact counts would give them back (8 of 45 is 17.8%, published as 10);
 * where people is '*', its share, cost and share of cost are blank. Cost is not a count and stays.
 */
export function publishSegmentationRows(rows: SegmentationRow[], settings: DisclosureSettings): PublishedSegmentationRow[] {
  const population = suppressCount(rows.reduce((sum, r) => sum + r.people, 0), settings);
  return rows.map((r) => {
    const { counts, derived } = discloseRow({ people: r.people }, { cost: r.cost, pct_cost: r.pct_cost }, settings);
    const perMille = publishedRatio(counts.people, population, 1000);
    return { tier: r.tier, people: counts.people, pct_population: perMille === null ? null : Math.round(perMille) / 10, ...derived };
  });
}

export interface PublishedTierCut {
  above: Tier;
  below: Tier;
  lastAbove: CutValues | null;
  firstBelow: CutValues | null;
}

/** The method and cut points as published (segmentation.json, the report's method description). */
export interface PublishedCuts {
  method: TierCuts['method'];
  description: string;
  population: string;
  people: Record<Tier, string>;
  settings: TierCuts['settings'];
  cut_points: PublishedTierCut[];
}

/**
 * Population and tier sizes per the rule. A cut keeps the condition count and cost at the boundary
 * (what an analyst needs to reproduce the method), the cost to the nearest £100 (it is one person's
 * cost), but not the complexity ranks: the ranks of the last person above each cut are the exact
 * cumulative tier sizes.
 */
export function publishCuts(c: TierCuts, settings: DisclosureSettings): PublishedCuts {
  const values = (p: CutValues | null): CutValues | null => (p ? { conditionCount: p.conditionCount, cost: Math.round(p.cost / 100) * 100 } : null);
  const people = Object.fromEntries(tierNames.map((t) => [t, suppressCount(c.people[t], settings)])) as Record<Tier, string>;
  const population = suppressCount(c.population, settings);
  const cutPoints = c.cuts.map((k) => ({ above: k.above, below: k.below, lastAbove: values(k.lastAbove), firstBelow: values(k.firstBelow) }));
  return {
    method: c.method,
    description: describeCuts({ method: c.method, settings: c.settings, population, people, cuts: cutPoints }),
    population,
    people,
    settings: c.settings,
    cut_points: cutPoints,
  };
}
