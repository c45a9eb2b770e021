import type { Command } from 'commander';
import { CliError } from '../errors.js';

export function registerFit(program: Command): void {
  program.command('fit').description('(being built)').action(() => {
    throw new CliError('fit is not built yet');
  });
}
