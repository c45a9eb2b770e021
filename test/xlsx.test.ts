import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { columnLetter, writeXlsx, type XlsxSheet } from '../src/xlsx/workbook.js';
import { crc32 } from '../src/xlsx/zip.js';

const sheet: XlsxSheet = {
  name: 'Risk register',
  columns: [{ header: 'Rank', width: 7 }, { header: 'Patient ID' }, { header: 'Score', width: 11, format: '0.0' }, { header: 'Cost', format: '0.00' }],
  rows: [
    [1, '=SUM(A1:A9)', 92.3, 1234.5],
    [2, 'a & <b> "c"\u0001', 55, null],
    [3, '+44 7700', null, 0],
  ],
};

async function load(buf: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

describe('writeXlsx', () => {
  it('is byte-identical across writes', async () => {
    const a = writeXlsx([sheet]);
    await new Promise((r) => setTimeout(r, 1100)); // across a clock second: no timestamps inside
    const b = writeXlsx([sheet]);
    expect(a.equals(b)).toBe(true);
  });

  it('opens in exceljs with the cells, frozen header, autofilter, widths and formats', async () => {
    const wb = await load(writeXlsx([sheet, { name: 'Second', columns: [{ header: 'x' }], rows: [] }]));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Risk register', 'Second']);
    const ws = wb.getWorksheet('Risk register')!;
    expect(ws.getRow(1).values).toEqual([undefined, 'Rank', 'Patient ID', 'Score', 'Cost']);
    expect(ws.getCell('A1').font?.bold).toBe(true);
    expect(ws.getCell('A2').value).toBe(1);
    expect(ws.getCell('C2').value).toBe(92.3);
    expect(ws.getCell('C2').numFmt).toBe('0.0');
    expect(ws.getCell('D2').numFmt).toBe('0.00');
    // text that a spreadsheet would run as a formula is escaped, never a formula
    expect(ws.getCell('B2').value).toBe("'=SUM(A1:A9)");
    expect(ws.getCell('B2').formula).toBeUndefined();
    expect(ws.getCell('B4').value).toBe("'+44 7700");
    expect(ws.getCell('B3').value).toBe('a & <b> "c"'); // XML escaped, control character dropped
    expect(ws.getCell('D3').value).toBeNull();
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, topLeftCell: 'A2' });
    expect(ws.autoFilter).toBe('A1:D4');
    expect(ws.getColumn(1).width).toBe(7);
    expect(ws.getColumn(3).width).toBe(11);
    // fitted to the longest shown text, "'=SUM(A1:A9)" (12 characters), plus 2
    expect(ws.getColumn(2).width).toBe(14);
  });

  it('rejects bad sheet names', () => {
    expect(() => writeXlsx([{ ...sheet, name: 'a/b' }])).toThrow(/sheet name/);
    expect(() => writeXlsx([sheet, sheet])).toThrow(/sheet name/);
    expect(() => writeXlsx([])).toThrow();
  });

  it('names columns and checksums like the standards', () => {
    expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
});
