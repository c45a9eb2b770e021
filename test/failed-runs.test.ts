// A failed run keeps its evidence in <output_root>/failed/<as-of>-<timestamp>/ and the error line names
// it; latest never moves; only retention.keep_failed folders are kept. Through the CLI, real stages.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixture, fixtures, tmpDir } from './ingest-helpers.js';
import { strata } from './strata-cli.js';

const env = { STRATA_LOG_LEVEL: 'silent' };

function setup(inputDir: string, extra: Record<string, unknown> = {}) {
  const dir = tmpDir('strata-failed-');
  const config = path.join(dir, 'config.json');
  fs.writeFileSync(config, JSON.stringify({
    inputs: { dir: inputDir }, warehouse: 'wh/w.duckdb', output_root: 'out', extract_date: '2025-03-31', ...extra,
  }));
  return { dir, config, out: path.join(dir, 'out'), failed: path.join(dir, 'out', 'failed') };
}

/** The one error line, and the failed folder it names (checked to exist). */
function failure(r: { code: number | null; stderr: string }, failedRoot: string) {
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  const m = lines[0].match(new RegExp(`(${failedRoot.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/[^ /;)]+)`));
  expect(m, lines[0]).not.toBeNull();
  const kept = m![1];
  expect(fs.existsSync(kept)).toBe(true);
  return { line: lines[0], kept, files: fs.readdirSync(kept).sort(), record: JSON.parse(fs.readFileSync(path.join(kept, 'failure.json'), 'utf8')) };
}

describe('failed runs keep their evidence', () => {
  it('reject policy: rejects, data-quality.json, failure.json and the log, named in the error; latest not moved', () => {
    // (That latest stays on the previous run when a later one fails: test/pipeline.test.ts.)
    const s = setup(path.join(fixtures, 'native-rejects'));
    const r = strata(['run', '--config', s.config], { env });
    expect(r.code).toBe(3);
    const f = failure(r, s.failed);
    expect(f.line).toMatch(/^strata: data quality: rejected rows above the 1\.00% limit in .*apc 80\.00% \(12 of 15 rows of apc\.csv\).*; see .*\/failed\/.*\/rejects$/);
    expect(f.files).toEqual(['data-quality.json', 'failure.json', 'rejects', 'run.log']);
    expect(fs.readdirSync(path.join(f.kept, 'rejects')).sort()).toEqual(
      ['ae.csv', 'apc.csv', 'gp_conditions.csv', 'op.csv', 'practices.csv', 'registrations.csv']);
    expect(fs.readFileSync(path.join(f.kept, 'rejects', 'apc.csv'), 'utf8').trim().split('\n')).toHaveLength(13);
    expect(JSON.parse(fs.readFileSync(path.join(f.kept, 'data-quality.json'), 'utf8')).inputs.find((i: { extract: string }) => i.extract === 'apc').rows_rejected).toBe(12);
    expect(f.record).toMatchObject({ mode: 'run', stage: 'load', exit_code: 3 });
    expect(fs.readFileSync(path.join(f.kept, 'run.log'), 'utf8')).toContain('run failed');
    expect(fs.existsSync(path.join(s.out, 'latest'))).toBe(false);
    expect(fs.readdirSync(s.out).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });

  it('missing column and unreadable file: exit 2 with failure.json and the log kept', () => {
    const missing = copyFixture('native-clean');
    fs.writeFileSync(path.join(missing, 'registrations.csv'), 'patient_id,practice_code,registration_start\nP1,A00001,2015-01-01\n');
    const a = setup(missing);
    const r1 = strata(['run', '--config', a.config], { env });
    expect(r1.code).toBe(2);
    const f1 = failure(r1, a.failed);
    expect(f1.line).toMatch(/^strata: registrations\.csv: missing required column year_of_birth \(evidence kept in .*\)$/);
    expect(f1.files).toEqual(['failure.json', 'run.log']);
    expect(f1.record).toMatchObject({ stage: 'load', exit_code: 2, error: expect.stringContaining('missing required column year_of_birth') });

    const unreadable = copyFixture('native-clean');
    fs.rmSync(path.join(unreadable, 'op.csv'));
    fs.mkdirSync(path.join(unreadable, 'op.csv'));
    const b = setup(unreadable);
    const r2 = strata(['run', '--config', b.config], { env });
    expect(r2.code).toBe(2);
    const f2 = failure(r2, b.failed);
    expect(f2.line).toMatch(/op\.csv/);
    expect(f2.files).toEqual(['failure.json', 'run.log']);
  });

  it('keeps only retention.keep_failed failed folders, newest first', () => {
    const s = setup(path.join(fixtures, 'native-rejects'), { retention: { keep_runs: 3, keep_failed: 2 } });
    const kept: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = strata(['run', '--config', s.config], { env });
      expect(r.code).toBe(3);
      kept.push(path.basename(failure(r, s.failed).kept));
    }
    expect(fs.readdirSync(s.failed).sort()).toEqual(kept.slice(1).sort());
  });
});
