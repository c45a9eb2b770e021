import { describe, expect, it } from 'vitest';
import { strata } from './strata-cli.js';

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
