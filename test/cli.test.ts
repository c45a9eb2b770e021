import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { packageRoot } from '../src/paths.js';

export function strata(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [path.join(packageRoot, 'bin', 'strata'), ...args], {
    cwd: opts.cwd ?? packageRoot, env: { ...process.env, ...opts.env }, encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli', () => {
  it('prints help and exits 0', () => {
    const r = strata(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: strata');
  });
  it('rejects an unknown command with exit 2 and no stack trace', () => {
    const r = strata(['no-such-command']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'no-such-command'");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
