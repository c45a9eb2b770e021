import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { packageRoot } from '../src/paths.js';

/** Runs the built CLI (bin/strata → dist/) as a child process. */
export function strata(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [path.join(packageRoot, 'bin', 'strata'), ...args], {
    cwd: opts.cwd ?? packageRoot, env: { ...process.env, ...opts.env }, encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * As strata(), without blocking the test worker: vitest's worker must keep answering its runner
 * during minute-long runs (spawnSync starves it, and vitest then reports an unhandled timeout).
 */
export function strataAsync(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}):
  Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(packageRoot, 'bin', 'strata'), ...args], {
      cwd: opts.cwd ?? packageRoot, env: { ...process.env, ...opts.env },
    });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
