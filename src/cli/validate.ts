import type { Command } from 'commander';
import { CliError } from '../errors.js';

export function registerValidate(program: Command): void {
  program.command('validate').description('(being built)').action(() => {
    throw new CliError('validate is not built yet');
  });
}
