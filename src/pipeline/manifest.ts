import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../paths.js';
import type { PipelineConfig } from '../config/config.js';
import type { InputRow } from './stages.js';

export interface ManifestStage {
  name: string;
  seconds: number;
  rows: number | null;
  summary?: Record<string, unknown>;
}

export interface ManifestOutput {
  path: string;
  bytes: number;
  sha256: string;
}

/** `manifest.json` of a published run. started_at/finished_at (and the measured stage seconds and peak memory) are its only run-dependent values. */
export interface Manifest {
  strata_version: string;
  config: string;
  /** sha256 of the validated config; a run with unchanged inputs but a changed config re-publishes. */
  config_sha256: string;
  mode: 'run' | 'fit';
  as_of: string;
  started_at: string;
  finished_at: string;
  /** Peak resident memory of the process so far (DuckDB included), in MiB: measured, like the timestamps. */
  peak_rss_mb: number;
  stages: ManifestStage[];
  inputs: InputRow[];
  outputs: ManifestOutput[];
}

let version: string | undefined;

/** The version in package.json. */
export function strataVersion(): string {
  version ??= (JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}

/** sha256 of the config as validated (defaults filled in), without the machine-specific baseDir. */
export function configHash(config: PipelineConfig): string {
  const { baseDir: _baseDir, ...rest } = config;
  return crypto.createHash('sha256').update(stableJson(rest)).digest('hex');
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(stableJson).join(',') + ']';
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return '{' + Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => JSON.stringify(k) + ':' + stableJson(o[k])).join(',') + '}';
  }
  return JSON.stringify(v);
}

export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Every file below `dir` (relative, '/'-separated, sorted by code unit), with size and sha256. */
export async function listOutputs(dir: string, exclude: string[] = []): Promise<ManifestOutput[]> {
  const files: string[] = [];
  const walk = (rel: string) => {
    for (const d of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) walk(r);
      else if (d.isFile() && !exclude.includes(r)) files.push(r);
    }
  };
  walk('');
  files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: ManifestOutput[] = [];
  for (const f of files) {
    const full = path.join(dir, f);
    out.push({ path: f, bytes: fs.statSync(full).size, sha256: await sha256File(full) });
  }
  return out;
}

/** Input rows sorted by extract then file, so the manifest never depends on load order. */
export function sortInputs(inputs: InputRow[]): InputRow[] {
  const key = (r: InputRow) => `${r.extract}\u0000${r.file}`;
  return [...inputs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Writes the manifest with a stable key order and a trailing newline. */
export function writeManifest(dir: string, manifest: Manifest): string {
  const file = path.join(dir, 'manifest.json');
  fs.writeFileSync(file, JSON.stringify(manifest, null, 2) + '\n');
  return file;
}

export function readManifest(dir: string): Manifest | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return null;
  }
}
