import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError } from '../src/errors.js';
import { Warehouse } from '../src/warehouse/warehouse.js';
import { configFor, copyFixture, input, load, rejectLines } from './ingest-helpers.js';

const header = 'spell_id,patient_id,admission_date,discharge_date,admission_method,patient_classification,primary_diagnosis,secondary_diagnoses,provider_code,cost';
const row1 = 'S1,P1,2024-01-01,2024-01-05,21,1,J441,I10,RA1,2500';
const row2 = 'S2,P2,2024-02-01,2024-02-01,11,2,K590,,RA1,800';

type Outcome = { kind: 'load'; counts: number[]; rejects?: [number, string][] } | { kind: 'error'; exit: number; message: RegExp };

/** Each case replaces apc.csv of the clean fixture; it must end in a clean load or one CliError line. */
const cases: [string, string | Buffer, Outcome][] = [
  ['truncated last line', `${header}\n${row1}\n${row2}\nS3,P1,2024-03-0`,
    { kind: 'load', counts: [3, 2, 1], rejects: [[4, 'too_few_columns']] }],
  ['unterminated quote on the last line', `${header}\n${row1}\n${row2}\nS3,P1,"2024-03-01`,
    { kind: 'load', counts: [3, 2, 1], rejects: [[4, 'unterminated_quote']] }],
  ['wrong delimiter (semicolon)', `${header.replaceAll(',', ';')}\n${row1.replaceAll(',', ';')}\n`,
    { kind: 'error', exit: 2, message: /^apc\.csv: missing required column spell_id$/ }],
  ['missing required column', `${header.replace(',discharge_date', '')}\n${row1.replace(',2024-01-05', '')}\n`,
    { kind: 'error', exit: 2, message: /^apc\.csv: missing required column discharge_date$/ }],
  ['missing optional column', `${header.replace(',cost', '')}\n${row1.replace(/,2500$/, '')}\n`,
    { kind: 'load', counts: [1, 1, 0] }],
  ['extra column', `${header},note\n${row1},hello\n${row2},\n`, { kind: 'load', counts: [2, 2, 0] }],
  ['extra field on one row', `${header}\n${row1},surplus\n${row2}\n`,
    { kind: 'load', counts: [2, 1, 1], rejects: [[2, 'too_many_columns']] }],
  ['empty file', '', { kind: 'error', exit: 2, message: /^apc\.csv: file is empty \(no header line\)$/ }],
  ['header only', `${header}\n`, { kind: 'load', counts: [0, 0, 0] }],
  ['non-UTF-8 bytes', Buffer.concat([Buffer.from(`${header}\n${row1}\nS2,P2,2024-02-01,2024-02-01,11,2,K590,,R`), Buffer.from([0xff, 0xfe]), Buffer.from(`A1,800\n`)]),
    { kind: 'load', counts: [2, 1, 1], rejects: [[3, 'invalid_encoding']] }],
  ['10,000-character field', `${header}\n${row1}\nS2,P2,2024-02-01,2024-02-01,11,2,K590,,${'R'.repeat(10_000)},800\n`,
    { kind: 'load', counts: [2, 2, 0] }],
  ['columns in another order, upper-case names', `COST,${header.replace(',cost', '').toUpperCase()}\n2500,${row1.replace(/,2500$/, '')}\n`,
    { kind: 'load', counts: [1, 1, 0] }],
  ['quoted field spanning lines, then a bad row', `${header}\n"S1",P1,2024-01-01,2024-01-05,21,1,J441,I10,"RA1\nsecond line",2500\n${row2.replace('K590', 'XX')}\n`,
    { kind: 'load', counts: [2, 1, 1], rejects: [[4, 'invalid_icd10: primary_diagnosis']] }],
];

describe('ingest: malformed files end in a clean load or one clear error', () => {
  let db: Warehouse;
  beforeEach(async () => { db = await Warehouse.open(); });
  afterEach(() => db.close());

  for (const [name, content, outcome] of cases) {
    it(name, async () => {
      const dir = copyFixture('native-clean');
      fs.writeFileSync(path.join(dir, 'apc.csv'), content);
      const config = configFor(dir, { rejects: { max_share: 1 } });
      const result = await load(db, config).catch((e: unknown) => e);
      if (outcome.kind === 'error') {
        expect(result).toBeInstanceOf(CliError);
        const err = result as CliError;
        expect(err.exitCode).toBe(outcome.exit);
        expect(err.message).toMatch(outcome.message);
        expect(err.message).not.toContain('\n');
        return;
      }
      if (result instanceof Error) throw result;
      const { summary, outDir } = result as Awaited<ReturnType<typeof load>>;
      const counts = input(summary, 'apc');
      expect(counts).toEqual(outcome.counts);
      expect(counts[0]).toBe(counts[1] + counts[2]);
      if (outcome.rejects) expect(rejectLines(outDir, 'apc')).toEqual(outcome.rejects);
      const { n } = await db.one<{ n: number }>('SELECT count(*) AS n FROM spells');
      expect(n).toBe(outcome.counts[1]);
    });
  }

  it('loads tab-delimited with BOM and CRLF, and pipe-delimited with quotes, to the same rows', async () => {
    const expected = [{ spell_id: 'S1', provider_code: 'RA1', cost: 2500 }, { spell_id: 'S2', provider_code: 'RA1', cost: 800 }];
    const variants: [string, string][] = [
      ['tab+BOM+CRLF', '\uFEFF' + [header, row1, row2].map((l) => l.replaceAll(',', '\t')).join('\r\n') + '\r\n'],
      ['pipe+quotes', [header, row1, row2].map((l) => l.split(',').map((f) => `"${f}"`).join('|')).join('\n')],
      ['comma+CRLF no final newline', [header, row1, row2].join('\r\n')],
    ];
    for (const [name, text] of variants) {
      const dir = copyFixture('native-clean');
      fs.writeFileSync(path.join(dir, 'apc.csv'), text);
      const local = await Warehouse.open();
      try {
        const { summary } = await load(local, configFor(dir));
        expect([name, input(summary, 'apc')]).toEqual([name, [2, 2, 0]]);
        expect([name, await local.all('SELECT spell_id, provider_code, cost FROM spells ORDER BY 1')]).toEqual([name, expected]);
      } finally {
        local.close();
      }
    }
  });

  it('loads Parquet by extension, rejecting values that do not cast with their row number', async () => {
    const dir = copyFixture('native-clean');
    fs.writeFileSync(path.join(dir, 'apc-src.csv'), `${header}\n${row1}\n${row2.replace('2024-02-01,2024-02-01', '2024-02-01,bad')}\nS3,P1,2024-03-01,2024-03-02,11,1,ZZ,,RA1,1\n`);
    await db.run(`COPY (SELECT * FROM read_csv('${path.join(dir, 'apc-src.csv')}', all_varchar = true)) TO '${path.join(dir, 'apc.parquet')}' (FORMAT parquet)`);
    const { summary, outDir } = await load(db, configFor(dir, { rejects: { max_share: 1 } }, { files: { apc: 'apc.parquet' } }));
    expect(input(summary, 'apc')).toEqual([3, 1, 2]);
    expect(rejectLines(outDir, 'apc')).toEqual([[2, 'type_error: discharge_date'], [3, 'invalid_icd10: primary_diagnosis']]);
  });
});
