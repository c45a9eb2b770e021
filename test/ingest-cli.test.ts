import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../src/paths.js';
import { fixtures, tmpDir } from './ingest-helpers.js';

// Spawns bin/strata, which runs dist/: `npm run build` first.
function strata(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(packageRoot, 'bin', 'strata'), ...args], {
    encoding: 'utf8', env: { ...process.env, STRATA_LOG_LEVEL: 'silent' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('strata validate', () => {
  it('prints the summary, writes rejects and manifest.json, and exits 3 above the reject policy', () => {
    const dir = tmpDir();
    const config = path.join(dir, 'config.json');
    fs.writeFileSync(config, JSON.stringify({
      inputs: { dir: path.join(fixtures, 'native-rejects') }, warehouse: 'w.duckdb', output_root: 'out', extract_date: '2025-03-31',
    }));
    const r = strata(['validate', '--config', config]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/apc\s+apc\.csv\s+15\s+3\s+12\s+0\s+80\.00%/);
    expect(r.stdout).toMatch(/apc\s+discharge_before_admission\s+1/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^strata: data quality: rejected rows above the 1\.00% limit in practices 71\.43%/);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'out', 'manifest.json'), 'utf8'));
    expect(manifest.inputs.map((i: { extract: string }) => i.extract)).toEqual(['practices', 'registrations', 'apc', 'ae', 'op', 'gp_conditions']);
    expect(Object.keys(manifest.inputs[0])).toEqual(['file', 'extract', 'sha256', 'rows_read', 'rows_loaded', 'rows_rejected', 'rows_opted_out']);
    expect(fs.existsSync(path.join(dir, 'out', 'rejects', 'apc.csv'))).toBe(true);

    const ok = strata(['validate', '--config', config, '--out', path.join(dir, 'other')]);
    expect(ok.code).toBe(3); // same data, same verdict: the failed load was rolled back and is re-read
    const clean = path.join(dir, 'clean.json');
    fs.writeFileSync(clean, JSON.stringify({ inputs: { dir: path.join(fixtures, 'native-clean') }, warehouse: 'w2.duckdb', output_root: 'out2', extract_date: '2025-03-31' }));
    const good = strata(['validate', '--config', clean]);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain('No rejected rows.');
  });

  it('will not load while another process holds the warehouse lock (exit 4), and takes it when it is free', () => {
    const dir = tmpDir();
    const config = path.join(dir, 'config.json');
    fs.writeFileSync(config, JSON.stringify({ inputs: { dir: path.join(fixtures, 'native-clean') }, warehouse: 'w.duckdb', output_root: 'out', extract_date: '2025-03-31' }));
    // This test process is alive: its pid in the lock file is a live holder.
    const lockFile = path.join(dir, 'w.duckdb.lock');
    fs.writeFileSync(lockFile, JSON.stringify({ pid: process.pid, hostname: os.hostname(), started_at: '2026-11-22T00:00:00Z' }) + '\n');
    const locked = strata(['validate', '--config', config]);
    expect(locked.code).toBe(4);
    expect(locked.stderr.trim().split('\n')).toHaveLength(1);
    expect(fs.existsSync(path.join(dir, 'w.duckdb'))).toBe(false);
    fs.rmSync(lockFile);
    expect(strata(['validate', '--config', config]).code).toBe(0);
    expect(fs.existsSync(lockFile)).toBe(false);
  });
});
