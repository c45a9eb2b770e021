import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CliError, ExitCode } from '../errors.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

export const pipelineConfigSchema = z.strictObject({
  name: z.string().min(1).default('strata'),
  inputs: z.strictObject({
    /** Folder holding the extracts; relative to the config file. */
    dir: z.string().min(1),
    profile: z.enum(['native', 'hes']).default('native'),
    /**
     * Override an extract's file name (relative to dir); `null` marks an optional extract absent.
     * `opt_outs` names the national data opt-out list (absent by default).
     */
    files: z.record(z.string(), z.string().nullable()).default({}),
    /** Per-extract layout where a profile has a choice: A&E as `ecds` (Emergency Care Data Set) in either profile. */
    layouts: z.strictObject({ ae: z.enum(['native', 'hes', 'ecds']).optional() }).default({}),
    /** Per-extract column renames: contract column -> the file's column (e.g. an extract's own pseudonym column). */
    columns: z.record(z.string(), z.record(z.string(), z.string().min(1))).default({}),
  }),
  /**
   * Unit costs for rows whose extract carries none (HES, ECDS, empty native costs). Null: the national tables
   * shipped in schemas/costs/. A local file (e.g. an ICB's contract prices) has the same columns.
   */
  costs: z.strictObject({
    unit_costs: z.string().min(1).nullable().default(null),
    hrg_prices: z.string().min(1).nullable().default(null),
  }).default({ unit_costs: null, hrg_prices: null }),
  /** The DuckDB warehouse file; relative to the config file. */
  warehouse: z.string().min(1),
  /** Where runs publish (`<output_root>/<as-of>/`, `<output_root>/latest`); relative to the config file. */
  output_root: z.string().min(1),
  /** Score as of this date; default: the day after the latest activity date in the extracts. */
  as_of: isoDate.nullable().default(null),
  /** Rows dated after this are rejected as future-dated; default: the day the run happens. */
  extract_date: isoDate.nullable().default(null),
  /** Folder of synthetic ground truth (`strata synth` writes DIR/truth); evaluation uses it when present. */
  truth_dir: z.string().nullable().default(null),
  model: z.strictObject({
    refit: z.union([z.enum(['never', 'always']), z.strictObject({ older_than_days: z.number().int().positive() })]).default('always'),
    holdout_pct: z.number().min(5).max(95).default(30),
  }).default({ refit: 'always', holdout_pct: 30 }),
  tiers: z.strictObject({
    method: z.enum(['rank', 'rule']).default('rank'),
    complex_pct: z.number().gt(0).lt(100).default(4),
    less_complex_pct: z.number().gt(0).lt(100).default(18),
    rule_complex_min_conditions: z.number().int().positive().default(3),
    rule_less_complex_min_conditions: z.number().int().positive().default(1),
  }).default({ method: 'rank', complex_pct: 4, less_complex_pct: 18, rule_complex_min_conditions: 3, rule_less_complex_min_conditions: 1 }),
  bands: z.strictObject({
    very_high_pct: z.number().gt(0).default(0.5),
    high_pct: z.number().gt(0).default(5),
    moderate_pct: z.number().gt(0).max(100).default(20),
    virtual_ward_score: z.number().min(0).max(100).default(70),
  }).default({ very_high_pct: 0.5, high_pct: 5, moderate_pct: 20, virtual_ward_score: 70 }),
  disclosure: z.strictObject({
    /** Counts from 1 to this are shown as '*'. */
    suppress_max: z.number().int().min(0).default(7),
    /** Other counts are rounded to the nearest multiple of this. */
    round_to: z.number().int().positive().default(5),
  }).default({ suppress_max: 7, round_to: 5 }),
  rejects: z.strictObject({
    /** A run fails (exit 3) when an extract's rejected share exceeds this (0–1). */
    max_share: z.number().min(0).max(1).default(0.01),
  }).default({ max_share: 0.01 }),
  /** Dated runs kept; and failed runs' evidence folders (`<output_root>/failed/`) kept. */
  retention: z.strictObject({
    keep_runs: z.number().int().positive().default(14),
    keep_failed: z.number().int().positive().default(5),
  }).default({ keep_runs: 14, keep_failed: 5 }),
  /** Per-run log files (optional; added for nightly runs). */
  logs: z.strictObject({
    /** Folder for `<as-of>-<timestamp>.log`; relative to the config file; default `<output_root>/logs`. */
    dir: z.string().min(1).nullable().default(null),
    /** How many log files to keep (oldest deleted first). */
    keep: z.number().int().positive().default(100),
  }).optional(),
}).superRefine((c, ctx) => {
  // Cross-field rules, reported against the key to change (so --dry-run catches them too).
  const ae = c.inputs.layouts.ae;
  if (ae && ae !== 'ecds' && ae !== c.inputs.profile) {
    ctx.addIssue({ code: 'custom', path: ['inputs', 'layouts', 'ae'], message: `must be ecds or the profile's own layout (${c.inputs.profile})` });
  }
  if (c.tiers.complex_pct + c.tiers.less_complex_pct >= 100) {
    ctx.addIssue({ code: 'custom', path: ['tiers', 'less_complex_pct'], message: 'complex_pct + less_complex_pct must be below 100' });
  }
  if (c.tiers.rule_less_complex_min_conditions >= c.tiers.rule_complex_min_conditions) {
    ctx.addIssue({ code: 'custom', path: ['tiers', 'rule_less_complex_min_conditions'], message: 'must be below rule_complex_min_conditions' });
  }
  if (!(c.bands.very_high_pct <= c.bands.high_pct && c.bands.high_pct <= c.bands.moderate_pct)) {
    ctx.addIssue({ code: 'custom', path: ['bands'], message: 'need very_high_pct <= high_pct <= moderate_pct (cumulative shares of the list)' });
  }
});

export type PipelineConfig = z.infer<typeof pipelineConfigSchema> & {
  /** Absolute folder of the config file; relative paths in it resolve from here. */
  baseDir: string;
};

/** Flattens a zod error into `key.path: message` lines. */
export function formatZodError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`).join('; ');
}

export function parseConfig(raw: unknown, baseDir: string, source = 'config'): PipelineConfig {
  const result = pipelineConfigSchema.safeParse(raw);
  if (!result.success) throw new CliError(`${source}: ${formatZodError(result.error)}`, ExitCode.usage);
  return { ...result.data, baseDir: path.resolve(baseDir) };
}

export function loadConfig(file: string): PipelineConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`cannot read config file ${file}`, ExitCode.usage);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${file}: not valid JSON (${(e as Error).message})`, ExitCode.usage);
  }
  return parseConfig(raw, path.dirname(path.resolve(file)), file);
}

/** Resolves a path from the config relative to the config file's folder. */
export function resolveFromConfig(config: PipelineConfig, p: string): string {
  return path.resolve(config.baseDir, p);
}
