/**
 * Test support: the `run` and `fit` commands with fake stages (spec as JSON in $STRATA_FAKE_STAGES),
 * mapping errors to exit codes as src/cli/main.ts does. Run with vite-node from tests.
 */
import { Command, CommanderError } from 'commander';
import { CliError, ExitCode } from '../../errors.js';
import { registerRun } from '../../cli/run.js';
import { registerFit } from '../../cli/fit.js';
import { fakeStages, type FakeSpec } from './fake-stages.js';

export async function fakeMain(argv: string[], spec: FakeSpec): Promise<number> {
  const program = new Command('strata').option('--verbose').exitOverride();
  registerRun(program, () => fakeStages(spec));
  registerFit(program, () => fakeStages(spec));
  for (const sub of program.commands) sub.exitOverride();
  try {
    await program.parseAsync(argv);
    return ExitCode.ok;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    if (e instanceof CliError) {
      process.stderr.write(`strata: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`strata: unexpected error: ${(e as Error)?.message ?? String(e)}\n`);
    return ExitCode.unexpected;
  }
}

const spec = JSON.parse(process.env.STRATA_FAKE_STAGES ?? '{}') as FakeSpec;
// vite-node passes the script path as argv[1]; commander wants [node, script, ...args].
fakeMain(process.argv, spec).then((code) => { process.exitCode = code; });
