import fs from 'node:fs';
import path from 'node:path';
import { nativeExtracts, extractNames, type ColumnSpec } from '../../schemas/native.js';
import { hesExtracts, hesExtractNames } from '../../schemas/hes.js';
import { resolveFromConfig, type PipelineConfig } from '../config/config.js';
import { CliError, ExitCode } from '../errors.js';

export type Profile = 'native' | 'hes';

/** One extract of a load: its contract and the file it comes from (null: optional and absent). */
export interface ExtractPlan {
  extract: string;
  profile: Profile;
  required: boolean;
  columns: ColumnSpec[];
  /** Absolute path, or null when an optional extract is absent. */
  path: string | null;
  /** The file as reported in manifests: relative to inputs.dir, '/' separated. */
  file: string;
  /** Reference files (small) go through csv-parse + zod; the rest through DuckDB read_csv. */
  reference: boolean;
}

/** Extracts in load order (practices before registrations, registrations before activity). */
export function planExtracts(config: PipelineConfig): ExtractPlan[] {
  const profile = config.inputs.profile;
  const dir = resolveFromConfig(config, config.inputs.dir);
  const names: readonly string[] = profile === 'hes' ? hesExtractNames : extractNames;
  for (const key of Object.keys(config.inputs.files)) {
    if (!names.includes(key)) {
      throw new CliError(`inputs.files.${key}: not an extract of the ${profile} profile (expected one of ${names.join(', ')})`, ExitCode.usage);
    }
  }
  return names.map((extract) => {
    const spec = profile === 'hes'
      ? hesExtracts[extract as keyof typeof hesExtracts]
      : nativeExtracts[extract as keyof typeof nativeExtracts];
    const override = config.inputs.files[extract];
    if (override === null && spec.required) {
      throw new CliError(`inputs.files.${extract}: the ${extract} extract is required and cannot be null`, ExitCode.usage);
    }
    const rel = override === null ? spec.file : (override ?? spec.file);
    const abs = path.resolve(dir, rel);
    const present = override !== null && fs.existsSync(abs);
    if (!present && spec.required) {
      throw new CliError(`required extract ${extract} not found: ${abs}`, ExitCode.usage);
    }
    return {
      extract, profile, required: spec.required, columns: spec.columns,
      path: present ? abs : null,
      file: path.relative(dir, abs).split(path.sep).join('/'),
      reference: profile === 'native' && extract === 'practices',
    };
  });
}
