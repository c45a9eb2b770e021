import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvField } from '../src/text/safe.js';
import { Warehouse } from '../src/warehouse/warehouse.js';
import { columnLetter, writeXlsx, type XlsxRows, type XlsxSheet } from '../src/xlsx/workbook.js';
import { zip } from '../src/xlsx/zip.js';

let db: Warehouse;
beforeAll(async () => {
  db = await Warehouse.open();
  await db.runFile('registers/cells');
});
afterAll(() => db?.close());

/** Sheet rows rendered as the registers stage renders them: by the macros of src/sql/registers/cells.sql. */
async function rendered(rows: [number | null, string | null, number | null, number | null][]): Promise<XlsxRows> {
  if (rows.length === 0) return { xml: Buffer.alloc(0), count: 0 };
  const values = rows.map((r) => `(${r.map((v) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replaceAll("'", "''")}'`)).join(', ')})`);
  const r = await db.one<{ xml: string }>(`
    WITH t(rank, id, score, cost) AS (VALUES ${values.join(', ')}),
    n AS (SELECT *, row_number() OVER () + 1 AS r FROM t)
    SELECT string_agg(concat('<row r="', r, '">', xlsx_number('A' || r, rank, ''), xlsx_text('B' || r, id, ''),
      xlsx_number('C' || r, score, ' s="2"'), xlsx_number('D' || r, cost, ' s="3"'), '</row>'), '' ORDER BY r) AS xml
    FROM n`);
  return { xml: Buffer.from(r.xml ?? ''), count: rows.length };
}

async function sheet(): Promise<XlsxSheet> {
  return {
    name: 'Risk register',
    columns: [{ header: 'Rank', width: 7 }, { header: 'Patient ID', width: 14 }, { header: 'Score', width: 11 }, { header: 'Cost', width: 9 }],
    rows: await rendered([
      [1, '=SUM(A1:A9)', 92.3, 1234.5],
      [2, 'a & <b> "c"\u0001', 55, null],
      [3, '+44 7700', null, 0],
    ]),
  };
}

async function load(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

describe('writeXlsx', () => {
  it('is byte-identical across writes', async () => {
    const s = await sheet();
    const a = await writeXlsx([s]);
    await new Promise((r) => setTimeout(r, 1100)); // across a clock second: no timestamps inside
    const b = await writeXlsx([s]);
    expect(a.equals(b)).toBe(true);
  });

  it('opens in exceljs with the cells, frozen header, autofilter, widths and formats', async () => {
    const wb = await load(await writeXlsx([await sheet(), { name: 'Second', columns: [{ header: 'x', width: 6 }], rows: await rendered([]) }]));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Risk register', 'Second']);
    const ws = wb.getWorksheet('Risk register')!;
    expect(ws.getRow(1).values).toEqual([undefined, 'Rank', 'Patient ID', 'Score', 'Cost']);
    expect(ws.getCell('A1').font?.bold).toBe(true);
    expect(ws.getCell('A2').value).toBe(1);
    expect(ws.getCell('C2').value).toBe(92.3);
    expect(ws.getCell('C2').numFmt).toBe('0.0');
    expect(ws.getCell('D2').value).toBe(1234.5);
    expect(ws.getCell('D2').numFmt).toBe('0.00');
    // text that a spreadsheet would run as a formula is escaped, never a formula
    expect(ws.getCell('B2').value).toBe("'=SUM(A1:A9)");
    expect(ws.getCell('B2').formula).toBeUndefined();
    expect(ws.getCell('B4').value).toBe("'+44 7700");
    expect(ws.getCell('B3').value).toBe('a & <b> "c"'); // XML escaped, control character dropped
    expect(ws.getCell('D3').value).toBeNull();
    expect(ws.getCell('D4').value).toBe(0);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, topLeftCell: 'A2' });
    expect(ws.autoFilter).toBe('A1:D4');
    expect(ws.getColumn(1).width).toBe(7);
    expect(ws.getColumn(3).width).toBe(11);
    expect(wb.getWorksheet('Second')!.autoFilter).toBe('A1:A1');
  });

  it('rejects bad sheet names', async () => {
    const s = await sheet();
    await expect(writeXlsx([{ ...s, name: 'a/b' }])).rejects.toThrow(/sheet name/);
    await expect(writeXlsx([s, s])).rejects.toThrow(/sheet name/);
    await expect(writeXlsx([])).rejects.toThrow();
  });

  it('names columns like spreadsheets do', () => {
    expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });
});

describe('register cell macros (src/sql/registers/cells.sql)', () => {
  it('write CSV fields as csvField() does', async () => {
    const texts = [null, '', 'plain', 'a,b', 'say "hi"', 'line\nbreak', 'cr\r', '=1+1', '+44', '-5', '@x', '\tx', 'Zoë £5 & <b>', "it's"];
    const numbers = [0, -0, 55, 55.5, 0.1 + 0.2, 1234.56, 1e15, 123456789012.34, -12.5, 0.01];
    const sqlText = (t: string | null) => (t === null ? 'NULL' : `'${t.replaceAll("'", "''")}'`);
    const r = await db.one<{ texts: string[]; numbers: string[] }>(`SELECT
      [${texts.map((t) => `csv_text(${sqlText(t)})`).join(', ')}] AS texts,
      [${numbers.map((x) => `csv_number(${Object.is(x, -0) ? '-0.0' : String(x)}::DOUBLE)`).join(', ')}] AS numbers`);
    expect(r.texts).toEqual(texts.map(csvField));
    expect(r.numbers).toEqual(numbers.map(csvField));
  });
});

describe('zip', () => {
  /** CRC-32 (IEEE), bit by bit. */
  function crc32(data: Buffer): number {
    let c = 0xffffffff;
    for (const byte of data) {
      c ^= byte;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    return (c ^ 0xffffffff) >>> 0;
  }

  it('stores each entry deflated with its CRC-32 and sizes', async () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const entries = [{ name: 'a.txt', data: Buffer.from('hello '.repeat(1000)) }, { name: 'b/c.xml', data: Buffer.from('<x/>') }];
    const archive = await zip(entries);
    let offset = 0;
    for (const e of entries) {
      expect(archive.readUInt32LE(offset)).toBe(0x04034b50);
      const size = archive.readUInt32LE(offset + 18);
      const nameLength = archive.readUInt16LE(offset + 26);
      expect(archive.toString('utf8', offset + 30, offset + 30 + nameLength)).toBe(e.name);
      const data = inflateRawSync(archive.subarray(offset + 30 + nameLength, offset + 30 + nameLength + size));
      expect(data.equals(e.data)).toBe(true);
      expect(archive.readUInt32LE(offset + 14)).toBe(crc32(e.data));
      expect(archive.readUInt32LE(offset + 22)).toBe(e.data.length);
      offset += 30 + nameLength + size;
    }
    expect(archive.readUInt32LE(offset)).toBe(0x02014b50); // the central directory follows
  });
});
