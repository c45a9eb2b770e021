import type { Command } from 'commander';
import { CliError } from '../errors.js';

export function registerRun(program: Command): void {
  program.command('run').description('(being built)').action(() => {
    throw new CliError('run is not built yet');
  });
}
