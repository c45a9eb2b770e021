import type { Command } from 'commander';
import { CliError } from '../errors.js';

export function registerSynth(program: Command): void {
  program.command('synth').description('(being built)').action(() => {
    throw new CliError('synth is not built yet');
  });
}
