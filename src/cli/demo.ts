import type { Command } from 'commander';
import { CliError } from '../errors.js';

export function registerDemo(program: Command): void {
  program.command('demo').description('(being built)').action(() => {
    throw new CliError('demo is not built yet');
  });
}
