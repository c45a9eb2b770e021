import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig, resolveFromConfig } from '../config/config.js';
import { CliError } from '../errors.js';
import { loadStage } from '../ingest/load.js';
import { formatDataQuality, type DataQuality } from '../ingest/quality.js';
import { createLogger } from '../log.js';
import { acquireLock } from '../pipeline/lock.js';
import { pipelinePaths } from '../pipeline/run-pipeline.js';
import { Warehouse } from '../warehouse/warehouse.js';

/** `strata validate`: the load and its checks only; prints the data-quality summary, writes rejects + manifest. */
export function registerValidate(program: Command): void {
  program.command('validate')
    .description('load the extracts and check them: print a data-quality summary, write rejects/ and manifest.json')
    .requiredOption('--config <file>', 'pipeline config (JSON)')
    .option('--out <dir>', 'where to write rejects/, data-quality.json and manifest.json (default: the config output_root)')
    .action(async (opts: { config: string; out?: string }) => {
      const config = loadConfig(opts.config);
      const outDir = path.resolve(opts.out ?? resolveFromConfig(config, config.output_root));
      const log = createLogger();
      // validate writes the warehouse too: never alongside a nightly run on the same one.
      const { warehouse, lock: lockFile } = pipelinePaths(config);
      fs.mkdirSync(path.dirname(lockFile), { recursive: true });
      const lock = acquireLock(lockFile, log);
      let db: Warehouse | undefined;
      try {
        db = await Warehouse.open(warehouse);
        let failure: unknown;
        try {
          await loadStage({ db, config, outDir, log });
        } catch (e) {
          failure = e;
        }
        // Above-policy loads still wrote data-quality.json: summarise it and write the manifest too.
        const dqFile = path.join(outDir, 'data-quality.json');
        if (fs.existsSync(dqFile) && (!failure || (failure instanceof CliError && failure.exitCode === 3))) {
          const dq = JSON.parse(fs.readFileSync(dqFile, 'utf8')) as DataQuality;
          process.stdout.write(formatDataQuality(dq, config.rejects.max_share));
          const manifest = { command: 'validate', config: path.resolve(opts.config), profile: config.inputs.profile, ok: !failure, inputs: dq.inputs };
          fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
        }
        if (failure) throw failure;
      } finally {
        db?.close();
        lock.release();
      }
    });
}
