import fs from 'node:fs';
import path from 'node:path';
import { resolveFromConfig, type PipelineConfig } from '../config/config.js';
import type { Logger } from '../log.js';
import { Warehouse } from '../warehouse/warehouse.js';
import { CliError, ExitCode } from '../errors.js';
import { sha256File } from './manifest.js';
import type { PlannedInput } from './stages.js';

const DATA_FILE = /\.(csv|tsv|psv|txt|parquet)(\.gz)?$/i;

/** sha256 values already loaded, read without writing anything (empty when there is no warehouse yet). */
async function loadedHashes(warehouseFile: string, log: Logger): Promise<Set<string>> {
  if (!fs.existsSync(warehouseFile)) return new Set();
  let db: Warehouse | undefined;
  try {
    db = await Warehouse.open(warehouseFile, { access_mode: 'READ_ONLY' });
    const rows = await db.all<{ sha256: string }>('SELECT DISTINCT sha256 FROM _loaded_files');
    return new Set(rows.map((r) => r.sha256));
  } catch (e) {
    log.debug({ err: e }, 'could not read _loaded_files; treating every input as new');
    return new Set();
  } finally {
    db?.close();
  }
}

/**
 * The default `--dry-run` plan: every data file in inputs.dir (plus any named in inputs.files),
 * hashed, and marked changed when its sha256 is not in the warehouse's `_loaded_files`.
 */
export async function planLoadFromFolder(config: PipelineConfig, log: Logger): Promise<PlannedInput[]> {
  const dir = resolveFromConfig(config, config.inputs.dir);
  let names: string[];
  try {
    names = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isFile() && DATA_FILE.test(d.name)).map((d) => d.name);
  } catch {
    throw new CliError(`inputs.dir: cannot read the input folder ${dir}`, ExitCode.usage);
  }
  for (const f of Object.values(config.inputs.files)) if (f) names.push(f);
  const files = [...new Set(names)].sort();
  const loaded = await loadedHashes(resolveFromConfig(config, config.warehouse), log);
  const plan: PlannedInput[] = [];
  for (const f of files) {
    const full = path.resolve(dir, f);
    if (!fs.existsSync(full)) continue;
    const sha256 = await sha256File(full);
    plan.push({ file: f, sha256, bytes: fs.statSync(full).size, changed: !loaded.has(sha256) });
  }
  return plan;
}
