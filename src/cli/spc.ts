import type { Command } from 'commander';
import { CliError } from '../errors.js';

export function registerSpc(program: Command): void {
  program.command('spc').description('(being built)').action(() => {
    throw new CliError('spc is not built yet');
  });
}
