import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { packageRoot } from '../src/paths.js';

/** Runs the built CLI (bin/strata → dist/) as a child process. */
export function strata(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [path.join(packageRoot, 'bin', 'strata'), ...args], {
    cwd: opts.cwd ?? packageRoot, env: { ...process.env, ...opts.env }, encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
