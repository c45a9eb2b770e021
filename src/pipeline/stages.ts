import type { Warehouse } from '../warehouse/warehouse.js';
import type { PipelineConfig } from '../config/config.js';
import type { Logger } from '../log.js';
import type { IngestContext, Stage, StageResult } from './context.js';
import type { InputRow } from '../ingest/quality.js';
import { loadStage, latestActivityDate } from '../ingest/load.js';
import { fitStage, scoreStage } from '../model/stage.js';
import { tiersStage } from '../segment/stage.js';
import { registersStage } from '../registers/stage.js';
import { outcomesStage } from '../outcomes/stage.js';
import { chartsStage } from '../charts/stage.js';
import { reportStage } from '../report/stage.js';
import { baselineTiersStage } from './baseline-tiers.js';

export type { IngestContext, InputRow };

/** What `--dry-run` reports per input file (nothing is read into the warehouse). */
export interface PlannedInput {
  file: string;
  sha256: string;
  bytes: number;
  /** True when no file with this sha256 has been loaded into the warehouse yet. */
  changed: boolean;
}

/**
 * Everything the orchestrator runs, injected so the pipeline can be tested with fake stages.
 * - `load` fills the warehouse; its `summary.inputs` (InputRow[]) goes into the manifest and
 *   `summary.changed` (boolean) says whether any input file was new or different.
 * - `latestActivityDate(db)` gives the default as-of date (the day after it).
 * - `stages` run in order after the load for `strata run`.
 * - `fit` is what `strata fit` runs after the load; when absent, the stages of `stages` up to and
 *   including the one named 'fit'.
 * - `planLoad` (optional) lists input files with changed/unchanged for `--dry-run`; the default
 *   hashes the files in inputs.dir and compares with `_loaded_files.sha256`.
 */
export interface PipelineStages {
  load: (ctx: IngestContext) => Promise<StageResult>;
  latestActivityDate: (db: Warehouse) => Promise<string>;
  stages: Stage[];
  fit?: Stage[];
  planLoad?: (config: PipelineConfig, log: Logger) => Promise<PlannedInput[]>;
}

/** The stages `strata fit` runs after the load. */
export function fitStagesOf(stages: PipelineStages): Stage[] {
  if (stages.fit) return stages.fit;
  const i = stages.stages.findIndex((s) => s.name === 'fit');
  if (i < 0) throw new Error("no stage named 'fit' is wired into the pipeline");
  return stages.stages.slice(0, i + 1);
}

/** The real pipeline, in order. `score` fits first when the refit policy says so (or no model exists). */
export function defaultStages(): PipelineStages {
  return {
    load: loadStage,
    latestActivityDate,
    stages: [
      { name: 'score', run: scoreStage },
      { name: 'tiers', run: tiersStage },
      { name: 'registers', run: registersStage },
      { name: 'baseline_tiers', run: baselineTiersStage },
      { name: 'outcomes', run: outcomesStage },
      { name: 'charts', run: chartsStage },
      { name: 'report', run: reportStage },
    ],
    fit: [{ name: 'fit', run: fitStage }],
  };
}
