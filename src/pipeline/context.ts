import type { Logger } from '../log.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { PipelineConfig } from '../config/config.js';

/** What every pipeline stage receives. */
export interface StageContext {
  db: Warehouse;
  config: PipelineConfig;
  /** The as-of date, 'YYYY-MM-DD': features use history before it, scores look 12 months ahead. */
  asOf: string;
  /** The run's output folder (a temporary folder until publish). Stages write only below it. */
  outDir: string;
  log: Logger;
}

/** The load stage runs before the as-of date is known, so its context has none. */
export type IngestContext = Omit<StageContext, 'asOf'>;

/** What a stage reports for the manifest and the log. */
export interface StageResult {
  /** Rows the stage produced (for the log line). */
  rows?: number;
  /** Files the stage wrote, relative to outDir. */
  outputs?: string[];
  /** Anything the report or manifest should carry (small, JSON-serialisable). */
  summary?: Record<string, unknown>;
}

export type Stage = { name: string; run: (ctx: StageContext) => Promise<StageResult> };
