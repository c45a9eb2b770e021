import fs from 'node:fs';
import path from 'node:path';
import { nativeExtracts, extractNames, type ColumnSpec } from '../../schemas/native.js';
import { hesExtracts, hesExtractNames } from '../../schemas/hes.js';
import { ecdsAe } from '../../schemas/ecds.js';
import { resolveFromConfig, type PipelineConfig } from '../config/config.js';
import { CliError, ExitCode } from '../errors.js';

export type Profile = 'native' | 'hes';
/** The column layout of one extract: the profile's own, or ECDS for A&E. */
export type Layout = 'native' | 'hes' | 'ecds';

/** The key of inputs.files naming the national data opt-out list (not an extract: it filters them). */
export const optOutsKey = 'opt_outs';

/** One extract of a load: its contract and the file it comes from (null: optional and absent). */
export interface ExtractPlan {
  extract: string;
  profile: Profile;
  layout: Layout;
  required: boolean;
  columns: ColumnSpec[];
  /** Contract column -> file column, from inputs.columns.<extract>. */
  renames: Record<string, string>;
  /** Absolute path, or null when an optional extract is absent. */
  path: string | null;
  /** The file as reported in manifests: relative to inputs.dir, '/' separated. */
  file: string;
  /** Reference files (small) go through csv-parse + zod; the rest through DuckDB read_csv. */
  reference: boolean;
}

/** The SQL name of an extract's check and insert files: `ingest/check_<name>`, `ingest/insert_<name>`. */
export function sqlName(plan: Pick<ExtractPlan, 'layout' | 'extract'>): string {
  return plan.layout === 'native' ? plan.extract : `${plan.layout}_${plan.extract}`;
}

function specOf(extract: string, layout: Layout) {
  if (layout === 'ecds') return ecdsAe;
  return layout === 'hes' ? hesExtracts[extract as keyof typeof hesExtracts] : nativeExtracts[extract as keyof typeof nativeExtracts];
}

/** The opt-out list's file (absolute, and as reported), or null when the config names none. */
export function planOptOuts(config: PipelineConfig): { path: string; file: string } | null {
  const rel = config.inputs.files[optOutsKey];
  if (!rel) return null;
  const dir = resolveFromConfig(config, config.inputs.dir);
  const abs = path.resolve(dir, rel);
  if (!fs.existsSync(abs)) throw new CliError(`inputs.files.${optOutsKey}: opt-out list not found: ${abs}`, ExitCode.usage);
  return { path: abs, file: path.relative(dir, abs).split(path.sep).join('/') };
}

/** Extracts in load order (practices before registrations, registrations before activity). */
export function planExtracts(config: PipelineConfig): ExtractPlan[] {
  const profile = config.inputs.profile;
  const dir = resolveFromConfig(config, config.inputs.dir);
  const names: readonly string[] = profile === 'hes' ? hesExtractNames : extractNames;
  for (const key of Object.keys(config.inputs.files)) {
    if (!names.includes(key) && key !== optOutsKey) {
      throw new CliError(`inputs.files.${key}: not an extract of the ${profile} profile (expected one of ${[...names, optOutsKey].join(', ')})`, ExitCode.usage);
    }
  }
  for (const key of Object.keys(config.inputs.columns)) {
    if (!names.includes(key)) {
      throw new CliError(`inputs.columns.${key}: not an extract of the ${profile} profile (expected one of ${names.join(', ')})`, ExitCode.usage);
    }
  }
  return names.map((extract) => {
    const layout: Layout = extract === 'ae' && config.inputs.layouts.ae ? config.inputs.layouts.ae : profile;
    const spec = specOf(extract, layout);
    // An ECDS A&E extract is as required as the profile's own A&E extract.
    const required = specOf(extract, profile).required;
    const renames = config.inputs.columns[extract] ?? {};
    for (const col of Object.keys(renames)) {
      if (!spec.columns.some((c) => c.name === col)) {
        throw new CliError(`inputs.columns.${extract}.${col}: not a column of the ${layout} ${extract} contract`, ExitCode.usage);
      }
    }
    const override = config.inputs.files[extract];
    if (override === null && required) {
      throw new CliError(`inputs.files.${extract}: the ${extract} extract is required and cannot be null`, ExitCode.usage);
    }
    const rel = override === null ? spec.file : (override ?? spec.file);
    const abs = path.resolve(dir, rel);
    const present = override !== null && fs.existsSync(abs);
    if (!present && required) {
      throw new CliError(`required extract ${extract} not found: ${abs}`, ExitCode.usage);
    }
    return {
      extract, profile, layout, required, columns: spec.columns, renames,
      path: present ? abs : null,
      file: path.relative(dir, abs).split(path.sep).join('/'),
      reference: profile === 'native' && extract === 'practices',
    };
  });
}
