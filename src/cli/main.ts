import { Command, CommanderError } from 'commander';
import { CliError, ExitCode } from '../errors.js';
import { registerSynth } from './synth.js';
import { registerDemo } from './demo.js';
import { registerValidate } from './validate.js';
import { registerRun } from './run.js';
import { registerFit } from './fit.js';
import { registerSpc } from './spc.js';

export function buildProgram(): Command {
  const program = new Command('strata')
    .description('Risk stratification and population segmentation for integrated care: a nightly DuckDB batch.')
    .option('--verbose', 'print error detail (stack traces) and debug logs')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of [registerDemo, registerSynth, registerValidate, registerRun, registerFit, registerSpc]) {
    register(program);
  }
  for (const sub of program.commands) sub.exitOverride();
  return program;
}

/** Runs the CLI; returns the exit code. Expected failures print one line, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const verbose = argv.includes('--verbose');
  if (verbose) process.env.STRATA_LOG_LEVEL ??= 'debug';
  try {
    await program.parseAsync(argv);
    return ExitCode.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander has already printed its message; help and version are not failures.
      return e.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (e instanceof CliError) {
      process.stderr.write(`strata: ${e.message}\n`);
      if (verbose && e.detail) process.stderr.write(e.detail + '\n');
      return e.exitCode;
    }
    const err = e as Error;
    process.stderr.write(`strata: unexpected error: ${err?.message ?? String(e)}\n`);
    if (verbose && err?.stack) process.stderr.write(err.stack + '\n');
    else process.stderr.write('strata: run again with --verbose for detail\n');
    return ExitCode.unexpected;
  }
}
