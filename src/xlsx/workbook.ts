/**
 * A minimal xlsx writer for person-facing registers: one or more sheets with a bold frozen header row, set column
 * widths and an autofilter, whose data rows arrive already rendered as sheet XML (by DuckDB, with the macros of
 * src/sql/registers/cells.sql, in one pass over every practice). Written by hand rather than with exceljs because
 * exceljs stamps the wall clock into the zip and docProps, and our outputs must be byte-identical across runs.
 */
import { spreadsheetSafe } from '../text/safe.js';
import { zip } from './zip.js';

export interface XlsxColumn {
  header: string;
  /** Width in characters. */
  width: number;
}

/**
 * A sheet's data rows as sheetData XML: `<row r="2">…</row>` onwards, cells as `<c r="B2" …>` with values or inline
 * strings and, for a number format, the cell style (`s` attribute): 2 = '0.0', 3 = '0.00' (cellXfs in styles.xml).
 */
export interface XlsxRows {
  xml: Uint8Array;
  count: number;
}

export interface XlsxSheet {
  /** 1–31 characters, none of : \ / ? * [ ] */
  name: string;
  columns: XlsxColumn[];
  rows: XlsxRows;
}

// cellXfs index of the header row's bold style in styles.xml below
const styleHeader = 1;

/** Writes the workbook. Header text goes through spreadsheetSafe() so none is read as a formula. */
export async function writeXlsx(sheets: XlsxSheet[]): Promise<Buffer> {
  if (sheets.length === 0) throw new Error('a workbook needs at least one sheet');
  const names = new Set<string>();
  for (const s of sheets) {
    if (!/^[^:\\/?*[\]]{1,31}$/.test(s.name) || names.has(s.name.toLowerCase())) {
      throw new Error(`invalid or duplicate sheet name ${JSON.stringify(s.name)}`);
    }
    names.add(s.name.toLowerCase());
  }
  const utf8 = (text: string) => Buffer.from(text, 'utf8');
  return zip([
    { name: '[Content_Types].xml', data: utf8(contentTypes(sheets.length)) },
    { name: '_rels/.rels', data: utf8(rootRels) },
    { name: 'xl/workbook.xml', data: utf8(workbookXml(sheets)) },
    { name: 'xl/_rels/workbook.xml.rels', data: utf8(workbookRels(sheets.length)) },
    { name: 'xl/styles.xml', data: utf8(stylesXml) },
    ...sheets.map((s, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: sheetXml(s, i === 0) })),
  ]);
}

const xmlHeader = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const nsMain = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const nsRel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** Escapes XML text and drops characters XML 1.0 cannot carry. */
const needsEscape = /[&<>"\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

export function xmlText(text: string): string {
  if (!needsEscape.test(text)) return text;
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
}

/** 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function contentTypes(sheetCount: number): string {
  const sheets = Array.from({ length: sheetCount }, (_, i) =>
    `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('');
  return xmlHeader + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
    sheets + '</Types>';
}

const rootRels = xmlHeader + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  `<Relationship Id="rId1" Type="${nsRel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;

function workbookXml(sheets: XlsxSheet[]): string {
  const sheetEls = sheets.map((s, i) => `<sheet name="${xmlText(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  // Excel records each autofilter range as a hidden defined name too.
  const filters = sheets.map((s, i) =>
    `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">'${xmlText(s.name.replaceAll("'", "''"))}'!${filterRef(s, true)}</definedName>`).join('');
  return xmlHeader + `<workbook xmlns="${nsMain}" xmlns:r="${nsRel}">` +
    '<bookViews><workbookView activeTab="0"/></bookViews>' +
    `<sheets>${sheetEls}</sheets><definedNames>${filters}</definedNames></workbook>`;
}

function workbookRels(sheetCount: number): string {
  const rels = Array.from({ length: sheetCount }, (_, i) =>
    `<Relationship Id="rId${i + 1}" Type="${nsRel}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('');
  return xmlHeader + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + rels +
    `<Relationship Id="rId${sheetCount + 1}" Type="${nsRel}/styles" Target="styles.xml"/></Relationships>`;
}

const stylesXml = xmlHeader + `<styleSheet xmlns="${nsMain}">` +
  '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0"/></numFmts>' +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
  '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="4">' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>';

function filterRef(sheet: XlsxSheet, absolute = false): string {
  const last = columnLetter(Math.max(sheet.columns.length, 1) - 1);
  const lastRow = sheet.rows.count + 1;
  return absolute ? `$A$1:$${last}$${lastRow}` : `A1:${last}${lastRow}`;
}

function headerCellXml(ref: string, text: string): string {
  return `<c r="${ref}" s="${styleHeader}" t="inlineStr"><is><t xml:space="preserve">${xmlText(spreadsheetSafe(text))}</t></is></c>`;
}

function sheetXml(sheet: XlsxSheet, selected: boolean): Buffer {
  const { columns } = sheet;
  const cols = columns.map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1"/>`).join('');
  const header = `<row r="1">${columns.map((c, i) => headerCellXml(`${columnLetter(i)}1`, c.header)).join('')}</row>`;
  const ref = filterRef(sheet);
  const head = xmlHeader + `<worksheet xmlns="${nsMain}" xmlns:r="${nsRel}">` +
    `<dimension ref="${ref}"/>` +
    `<sheetViews><sheetView${selected ? ' tabSelected="1"' : ''} workbookViewId="0">` +
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>' +
    '<sheetFormatPr defaultRowHeight="15"/>' +
    (cols ? `<cols>${cols}</cols>` : '') +
    `<sheetData>${header}`;
  const tail = '</sheetData>' +
    `<autoFilter ref="${ref}"/>` +
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>' +
    '</worksheet>';
  return Buffer.concat([Buffer.from(head, 'utf8'), sheet.rows.xml, Buffer.from(tail, 'utf8')]);
}
